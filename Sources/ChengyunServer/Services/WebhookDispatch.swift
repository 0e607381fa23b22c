import ChengyunStore
import Logging
import ServiceLifecycle

extension Periodic {
    /// Webhooks on the clock: each second the leading node claims the tick, then keeps sending
    /// what is due (new deliveries, and retries whose wait is over) for most of that second,
    /// looking again every 100 ms when nothing was — so a change waits about a tenth of a second
    /// for its POST, not up to a second, while the tick is still claimed once across the nodes.
    /// A lead lost meanwhile ends the tick (`leadsThisRound`, and the fence on its writes).
    static func webhookDispatch(_ platform: Platform, logger: Logger) -> Periodic {
        let dispatcher = WebhookDispatcher(platform: platform, logger: logger)
        let feeds = RecordFeedDispatcher(platform: platform)
        return Periodic(name: "webhook dispatch", every: .seconds(1), logger: logger) {
            let end = ContinuousClock.now + .milliseconds(850)
            var total = WebhookDispatcher.Round()
            // Each step only while this node still leads under the tick's epoch: another leader
            // sends from then on, and a POST made here after that would be one too many.
            while platform.cluster.leadsThisRound && !Task.isShuttingDownGracefully {
                // Deliveries, then record feeds' cursors (`RecordFeedDispatcher`).
                var round = WebhookDispatcher.Round()
                do {
                    round.add(try await dispatcher.round())
                    round.add(try await feeds.round())
                } catch is FencedOut { return }
                total.add(round)
                guard ContinuousClock.now < end else { break }
                if round == .init() { try await Task.sleep(for: .milliseconds(100)) }
            }
            guard total.failed + total.dead > 0 else { return }
            logger.info(
                "webhooks",
                metadata: ["delivered": "\(total.delivered)", "failed": "\(total.failed)", "dead": "\(total.dead)"])
        }
    }
}
