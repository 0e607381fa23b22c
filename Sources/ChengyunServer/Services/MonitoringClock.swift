import ChengyunStore
import Logging

extension Periodic {
    /// The monitoring engine's clock: every minute the no-data rules are judged, ended disarm
    /// windows lifted and devices' newest reading times written to their rows (and once more at
    /// shutdown).
    static func monitoringClock(_ platform: Platform, logger: Logger) -> Periodic {
        Periodic(
            name: "monitoring clock", every: .seconds(60), logger: logger,
            work: {
                try await platform.telemetry.checkSilence(now: platform.now())
                try await platform.telemetry.flushLastReadings()
            },
            atShutdown: { try await platform.telemetry.flushLastReadings() })
    }

    /// Every hour (and at start) raw readings past their retention are folded into rollups.
    static func readingRetention(_ platform: Platform, logger: Logger) -> Periodic {
        Periodic(name: "reading retention", every: .seconds(3600), logger: logger) {
            let folded = try await platform.telemetry.applyRetention()
            if folded > 0 { logger.info("rolled up raw readings", metadata: ["rows": "\(folded)"]) }
        }
    }
}
