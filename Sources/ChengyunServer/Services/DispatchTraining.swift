import ChengyunStore
import Logging

extension Periodic {
    /// The learned dispatch model trained again once a day (the first round at start), on every
    /// case closed and every dispatcher's correction by then; a day with nothing to learn from
    /// trains nothing.
    static func dispatchTraining(_ platform: Platform, logger: Logger) -> Periodic {
        Periodic(name: "dispatch training", every: .seconds(86_400), logger: logger) {
            guard let version = try await platform.dispatch.trainIfAnything(by: .system) else { return }
            logger.info(
                "trained the dispatch model",
                metadata: [
                    "version": "\(version.version)", "examples": "\(version.examples)",
                    "held_out_accuracy": "\(version.accuracy)",
                ])
        }
    }
}
