import ChengyunStore
import Logging
import ServiceLifecycle

extension Periodic {
    /// Webhooks on the clock: each second the leading node claims the tick, then keeps sending
    /// what is due (new deliveries, and retries whose wait is over) for most of that second,
    /// looking again every 100 ms when nothing was — so a change waits about a tenth of a second
    /// for its POST, not up to a second, while the tick is still claimed once across the nodes.
    static func webhookDispatch(_ platform: Platform, logger: Logger) -> Periodic {
        let dispatcher = WebhookDispatcher(platform: platform, logger: logger)
        return Periodic(name: "webhook dispatch", every: .seconds(1), logger: logger) {
            let end = ContinuousClock.now + .milliseconds(850)
            var total = WebhookDispatcher.Round()
            repeat {
                let round = try await dispatcher.round()
                (total.delivered, total.failed, total.dead) =
                    (total.delivered + round.delivered, total.failed + round.failed, total.dead + round.dead)
                if round == .init() { try await Task.sleep(for: .milliseconds(100)) }
            } while ContinuousClock.now < end && !Task.isShuttingDownGracefully
            guard total.failed + total.dead > 0 else { return }
            logger.info(
                "webhooks",
                metadata: ["delivered": "\(total.delivered)", "failed": "\(total.failed)", "dead": "\(total.dead)"])
        }
    }
}
