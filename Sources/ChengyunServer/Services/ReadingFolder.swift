import ChengyunStore
import Logging
import Synchronization

extension Periodic {
    /// Moves readings from the time-ordered recent table into the series-ordered one when enough
    /// wait (`TelemetrySettings.foldRows`) or some have waited long enough; looks every second.
    /// A fold cut off by shutdown is finished by the next process (see ReadingFold).
    static func readingFolder(_ platform: Platform, logger: Logger) -> Periodic {
        let lastFold = Mutex(platform.now())
        return Periodic(name: "folding readings", every: .seconds(1), logger: logger) {
            let moved = try await platform.telemetry.foldIfDue(lastFold: lastFold.withLock { $0 })
            guard moved > 0 else { return }
            lastFold.withLock { $0 = platform.now() }
            logger.debug("folded readings", metadata: ["rows": "\(moved)"])
        }
    }
}
