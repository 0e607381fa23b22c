import ChengyunStore
import Logging
import ServiceLifecycle

extension Periodic {
    /// Webhooks on the clock: each second the leading node claims the tick, then keeps sending
    /// what is due (new deliveries, and retries whose wait is over) for most of that second. When
    /// nothing was, it waits for a load committed on this node to raise `webhookWork`, or 100 ms
    /// at most (work made on other nodes, events' deliveries) — so a load's change on the leading
    /// node, made while the loop waits, is sent as soon as it commits, while the tick is claimed
    /// once across nodes (`WebhookLoop`, which `bench datahub` runs too).
    /// A lead lost meanwhile ends the tick (`leadsThisRound`, and the fence on its writes).
    static func webhookDispatch(_ platform: Platform, logger: Logger) -> Periodic {
        let loop = WebhookLoop(platform: platform, logger: logger)
        return Periodic(name: "webhook dispatch", every: .seconds(1), logger: logger) {
            // Each round only while this node still leads under the tick's epoch: another leader
            // sends from then on, and a POST made here after that would be one too many. Most of
            // the second (its waits cut to what is left): the next tick is claimed when this one's
            // last round ends.
            let total: WebhookDispatcher.Round
            do {
                total = try await loop.run(until: ContinuousClock.now + .milliseconds(950)) {
                    platform.cluster.leadsThisRound && !Task.isShuttingDownGracefully
                }
            } catch is FencedOut { return }
            guard total.failed + total.dead > 0 else { return }
            logger.info(
                "webhooks",
                metadata: ["delivered": "\(total.delivered)", "failed": "\(total.failed)", "dead": "\(total.dead)"])
        }
    }
}
