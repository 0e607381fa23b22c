import Logging

/// The webhook loop, as the leading node runs it each tick and as `bench datahub` runs it: the
/// deliveries due, then the record feeds' cursors, round after round, until the time is up or the
/// caller says stop; between empty rounds it waits for a commit on this node to raise
/// `webhookWork`, or 100 ms at most (work made on other nodes, events' deliveries).
public struct WebhookLoop: Sendable {
    /// Subscriptions sent to at once by each dispatcher: fifty following one dataset in step are
    /// each sent their next POST together, not a third of them at a time (POSTs to one host then
    /// share its few connections, `WebhookDispatcher.session`).
    public static let parallel = 50
    /// Deliveries read a round (a subscription's are sent one after another, none started after
    /// the loop's time is up).
    public static let limit = 5_000

    let deliveries: WebhookDispatcher
    let feeds: RecordFeedDispatcher
    let signal: WorkSignal

    public init(platform: Platform, logger: Logger = Logger(label: "chengyun.webhooks")) {
        deliveries = WebhookDispatcher(platform: platform, logger: logger)
        feeds = RecordFeedDispatcher(platform: platform, logger: logger)
        signal = platform.webhookWork
    }

    /// One round of each dispatcher, no delivery's POST started after `until` when given.
    public func round(until: ContinuousClock.Instant? = nil) async throws -> WebhookDispatcher.Round {
        var round = try await deliveries.round(limit: Self.limit, parallel: Self.parallel, until: until)
        round.add(try await feeds.round(parallel: Self.parallel))
        return round
    }

    /// Rounds while `going()` (asked before each) until `end`, waiting between empty ones. Never
    /// cancelled within a round by itself: a POST cut off after its receiver took it would be sent
    /// again (under its id, as after a crash).
    public func run(until end: ContinuousClock.Instant, while going: @Sendable () async -> Bool) async throws
        -> WebhookDispatcher.Round
    {
        var total = WebhookDispatcher.Round()
        while !Task.isCancelled, await going() {
            let round = try await self.round(until: end)
            total.add(round)
            let left = end - ContinuousClock.now
            guard left > .zero else { break }
            if round == .init() { await signal.wait(upTo: min(.milliseconds(100), left)) }
        }
        return total
    }
}
