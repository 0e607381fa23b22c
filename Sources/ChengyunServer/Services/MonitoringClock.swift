import ChengyunStore
import Logging

extension Periodic {
    /// The monitoring engine's clock (on every node, for the rule shards it holds): every minute
    /// the no-data rules are judged and ended disarm windows lifted.
    static func silenceCheck(_ platform: Platform, logger: Logger) -> Periodic {
        Periodic(name: "monitoring clock", every: .seconds(60), logger: logger) {
            try await platform.telemetry.checkSilence(now: platform.now())
        }
    }

    /// On every node, every minute: the newest reading times this node has seen written to the
    /// devices' rows (and once more at shutdown).
    static func lastReadingFlush(_ platform: Platform, logger: Logger) -> Periodic {
        Periodic(
            name: "last reading flush", every: .seconds(60), logger: logger,
            work: { try await platform.telemetry.flushLastReadings() },
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
