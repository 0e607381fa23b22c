import Logging

/// The webhook loop, as the leading node runs it each tick and as `bench datahub` runs it: the
/// deliveries due, then the record feeds' cursors, round after round, until the time is up or the
/// caller says stop; between empty rounds it waits for a commit on this node to raise
/// `webhookWork`, or 100 ms at most (work made on other nodes, events' deliveries).
public struct WebhookLoop: Sendable {
    /// POSTs in flight at once for each dispatcher: fifty subscribers following one dataset in
    /// step are each sent to at once, not a third of them at a time.
    public static let parallel = 50
    /// Deliveries read a round.
    public static let limit = 5_000

    let deliveries: WebhookDispatcher
    let feeds: RecordFeedDispatcher
    let signal: WorkSignal

    public init(platform: Platform, logger: Logger = Logger(label: "chengyun.webhooks")) {
        deliveries = WebhookDispatcher(platform: platform, logger: logger)
        feeds = RecordFeedDispatcher(platform: platform, logger: logger)
        signal = platform.webhookWork
    }

    /// One round of each dispatcher.
    public func round() async throws -> WebhookDispatcher.Round {
        var round = try await deliveries.round(limit: Self.limit, parallel: Self.parallel)
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
        while await going() {
            let round = try await self.round()
            total.add(round)
            guard ContinuousClock.now < end else { break }
            if round == .init() { await signal.wait(upTo: .milliseconds(100)) }
        }
        return total
    }
}
