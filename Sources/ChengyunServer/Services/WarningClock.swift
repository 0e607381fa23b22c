import ChengyunStore
import Logging

extension Periodic {
    /// Warnings and supervision on the clock: every minute the supervised subjects and the
    /// unanswered supervision orders are judged (预警督办), and reminders go out through the notifier.
    static func warningClock(_ platform: Platform, logger: Logger) -> Periodic {
        let service = SupervisionService(platform: platform, notifier: LogNotifier(logger: logger))
        return Periodic(name: "warning clock", every: .seconds(60), logger: logger) {
            let report = try await service.sweep()
            guard report != .init() else { return }
            logger.info(
                "warnings",
                metadata: [
                    "raised": "\(report.raised)", "escalated": "\(report.escalated)",
                    "resolved": "\(report.resolved)", "orders": "\(report.ordersIssued)",
                ])
        }
    }
}
