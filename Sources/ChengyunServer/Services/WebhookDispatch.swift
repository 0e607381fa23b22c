import ChengyunStore
import Logging

extension Periodic {
    /// Webhooks on the clock: every second the leading node sends the deliveries that are due
    /// (new ones, and retries whose wait is over).
    static func webhookDispatch(_ platform: Platform, logger: Logger) -> Periodic {
        let dispatcher = WebhookDispatcher(platform: platform, logger: logger)
        return Periodic(name: "webhook dispatch", every: .seconds(1), logger: logger) {
            let round = try await dispatcher.round()
            guard round.failed + round.dead > 0 else { return }
            logger.info(
                "webhooks",
                metadata: ["delivered": "\(round.delivered)", "failed": "\(round.failed)", "dead": "\(round.dead)"])
        }
    }
}
