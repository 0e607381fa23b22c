import ChengyunStore
import Logging

extension Periodic {
    /// Scheduled HTTP pulls, on the leading node: a few due pulls every half minute.
    static func datasetPulls(_ platform: Platform, logger: Logger) -> Periodic {
        Periodic(name: "dataset pulls", every: .seconds(30), logger: logger) {
            let ran = try await platform.datasetPulls.runDue()
            if ran > 0 { logger.info("dataset pulls", metadata: ["ran": "\(ran)"]) }
        }
    }
}
