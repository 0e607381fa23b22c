import ChengyunStore
import Logging

extension Periodic {
    /// Every second, on every node, the unmetered access-log entries it holds are written
    /// together (`AccessLogBuffer`); once more at shutdown.
    static func accessLogFlush(_ platform: Platform, logger: Logger) -> Periodic {
        Periodic(
            name: "access log flush", every: .seconds(1), logger: logger,
            work: { try await platform.exchange.flushUnmetered() },
            atShutdown: { try await platform.exchange.flushUnmetered() })
    }
}
