import ChengyunStore
import Logging
import ServiceLifecycle

/// Warnings and supervision on the clock: every minute the open cases' stages and the unanswered
/// supervision orders are judged (预警督办), and reminders go out through the notifier.
struct WarningClock: Service {
    let platform: Platform
    let logger: Logger

    func run() async throws {
        let service = SupervisionService(platform: platform, notifier: LogNotifier(logger: logger))
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let report = try await service.sweep()
                if report != .init() {
                    logger.info(
                        "warnings",
                        metadata: [
                            "raised": "\(report.raised)", "escalated": "\(report.escalated)",
                            "resolved": "\(report.resolved)", "orders": "\(report.ordersIssued)",
                        ])
                }
            } catch {
                logger.error("warning clock", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
        }
    }
}
