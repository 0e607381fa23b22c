import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Record feeds pulled by cursor, and feeds left behind the pruning, on both backends: a pulled
/// feed reads from where it began, a page at a time, each change under the id a webhook would
/// use, and the dispatcher leaves it alone; a cursor before changes pruned away is refused with
/// the cursor after them, and a cancelled feed is read no more; a webhook feed left behind
/// resumes and keeps what it missed in its standing, while a replay reaches back no further than
/// what is kept and misses nothing; a grant pulls its fields alone, each page a metered read,
/// until it is revoked.
@Suite struct RecordFeedPullTests {
    typealias Receiver = WebhookDeliveryTests.Receiver

    @Test(arguments: TestBackend.available) func aPulledFeedIsReadPageByPageFromWhereItBegan(backend: TestBackend)
        async throws
    {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let (f, loader) = try await BinsLedger.publish(platform, sharing: .conditional)
            let owner = try await f.account(platform, "bins.puller", .handler, department: f.citySanitation)
            let made = try await platform.subscriptions.subscribe(.init(topic: .records, dataset: "bins"), by: owner)
            let id = made.subscription.id
            #expect(made.secret == nil && made.subscription.url == nil && made.subscription.feed == nil)
            try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f), loader)
            #expect(try await platform.recordFeeds.round() == .init(), "a pulled feed is not sent, nor passed over")

            let first = try await pull(platform, id, owner, limit: 1)
            #expect(first.changes.map(\.place) == ["1.1"] && first.changes[0].key == "LJ001")
            #expect(first.changes[0].record?["bins"] as? Int == 3, "every field, to the owner's department")
            #expect(first.items[0].id.hasSuffix(".\(id)") && first.items[0].state == .stored)
            let second = try await pull(platform, id, owner, after: first.next)
            #expect(second.changes.map(\.place) == ["1.2"])
            let end = try await pull(platform, id, owner, after: second.next)
            #expect(end.changes.isEmpty && end.next == second.next, "the feed says where it got to")

            try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f, bins: 6), loader)
            let next = try await pull(platform, id, owner, after: end.next)
            #expect(next.changes.map(\.place) == ["2.1", "2.2"] && next.changes[0].record?["bins"] as? Int == 6)
            let again = try await pull(platform, id, owner)
            #expect(again.changes.map(\.place) == ["1.1", "1.2", "2.1", "2.2"], "no cursor: from where it began")
            #expect(again.items.map(\.id) == (first.items + second.items + next.items).map(\.id), "the same ids")
            let invalid = PageRequest.encodeCursor("two.one")
            #expect(await errorCode { try await pull(platform, id, owner, after: invalid) } == "validation_failed")

            // A month on, the first loads' changes are pruned: a reader before them is told where to go on.
            clock.advance(millis: 31 * 86_400_000)
            try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f, bins: 7), loader)
            _ = try await platform.dataHubPruning.prune()
            let resume = PageRequest.encodeCursor("2.2")
            for stale in [end.next, nil] {
                do {
                    _ = try await pull(platform, id, owner, after: stale)
                    Issue.record("a cursor before the pruned changes was read")
                } catch let refused as DomainError {
                    #expect(refused.code.rawValue == "changes_pruned" && refused.message.contains(resume))
                    #expect(refused.nextCursor == resume)
                }
            }
            #expect(try await pull(platform, id, owner, after: resume).changes.map(\.place) == ["3.1", "3.2"])

            // Cancelled, it is read no more, though another follower keeps the feed written.
            let other = try await f.account(platform, "bins.other", .handler, department: f.citySanitation)
            _ = try await platform.subscriptions.subscribe(.init(topic: .records, dataset: "bins"), by: other)
            _ = try await platform.subscriptions.cancel(id: id, by: owner)
            try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f, bins: 8), loader)
            #expect(
                await errorCode { try await pull(platform, id, owner, after: resume) } == "subscription_cancelled")
        }
    }

    @Test(arguments: TestBackend.available) func aWebhookFeedLeftBehindThePruningSaysWhatItMissed(
        backend: TestBackend
    ) async throws {
        let receiver = Receiver()
        try await RecordFeedDeliveryTests.withFeed(backend, receiver, batchSize: 100) {
            platform, clock, f, loader, owner, id in
            let standing = { try await platform.subscriptions.subscription(id: id, by: owner).feed }
            #expect(
                try await standing()?.position == RecordFeed.Position.after(version: 0).token, "made before any load")

            await receiver.set(down: true)
            try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f), loader)
            #expect(try await platform.recordFeeds.round() == .init(failed: 2))
            let failing = try await standing()
            #expect(failing?.attempts == 1 && failing?.lastStatus == 503)

            // Its changes are pruned while it waits: it says so before any other load, and the next
            // load's are sent, the gap kept.
            clock.advance(millis: 31 * 86_400_000)
            _ = try await platform.dataHubPruning.prune()
            await receiver.set(down: false)
            #expect(try await platform.recordFeeds.round() == .init(), "nothing left to send")
            let behind = try #require(try await standing())
            #expect(behind.missedThrough == "1.2" && behind.position == "1.2" && behind.attempts == 0)
            try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f, bins: 5), loader)
            #expect(try await platform.recordFeeds.round() == .init(delivered: 2))
            #expect(try await RecordFeedDeliveryTests.received(receiver).map(\.place) == ["2.1", "2.2"])
            let feed = try #require(try await standing())
            #expect(feed.missedThrough == "1.2" && feed.position == "2.2" && feed.delivered == 2)
            #expect(feed.attempts == 0 && feed.lastStatus == 204)
            let listed = try await platform.subscriptions.list(page: PageRequest(), by: owner).items
            #expect(listed.first { $0.id == id }?.feed == feed)
        }
    }

    @Test(arguments: TestBackend.available) func aReplayReachesBackNoFurtherThanTheHorizon(backend: TestBackend)
        async throws
    {
        let receiver = Receiver()
        try await RecordFeedDeliveryTests.withFeed(backend, receiver, batchSize: 100) {
            platform, clock, f, loader, owner, id in
            try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f), loader)
            #expect(try await platform.recordFeeds.round() == .init(delivered: 2))
            clock.advance(millis: 31 * 86_400_000)
            try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f, bins: 5), loader)
            #expect(try await platform.recordFeeds.round() == .init(delivered: 2))
            _ = try await platform.dataHubPruning.prune()
            clock.advance(millis: 1_000)
            #expect(try await platform.subscriptions.replay(id: id, from: 0, by: owner) == 2, "what is kept")
            #expect(try await platform.recordFeeds.round() == .init(delivered: 2))
            #expect(try await RecordFeedDeliveryTests.received(receiver).map(\.place).suffix(2) == ["2.1", "2.2"])
            let feed = try await platform.subscriptions.subscription(id: id, by: owner).feed
            #expect(feed?.position == "2.2" && feed?.missedThrough == nil, "sent all it was to send: it missed none")
        }
    }

    @Test(arguments: TestBackend.available) func aGrantPullsItsFieldsAloneEachPageAMeteredRead(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend, clock: TestClock()) { platform in
            let (f, loader) = try await BinsLedger.publishLoaded(platform, sharing: .conditional)
            let exchange = platform.exchange
            let (consumer, applied) = try await RecordFeedAccessTests.granted(
                platform, f, loader, "district.puller", fields: ["code", "name"])
            let id = try await platform.subscriptions.subscribe(.init(topic: .records, dataset: "bins"), by: consumer)
                .subscription.id

            try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f, bins: 4), loader)
            let page = try await pull(platform, id, consumer)
            #expect(page.changes.map(\.place) == ["2.1", "2.2"], "after the version loaded when it subscribed")
            #expect(page.changes.allSatisfy { Set($0.record?.keys ?? [:].keys) == ["code", "name"] })
            _ = try await pull(platform, id, consumer, after: page.next)
            let log = try await exchange.log(id: applied.id, page: PageRequest(), by: consumer).items
            #expect(log.map(\.operation) == ["records_feed", "records_feed"], "each page one read of the grant")

            _ = try await exchange.act(id: applied.id, .revoke, note: "巡查结束", by: loader)
            #expect(
                await errorCode { try await pull(platform, id, consumer, after: page.next) } == "not_shared_with_you")
        }
    }

    // MARK: Steps

    /// One page of a pulled feed after `cursor` (none: from where it began): its deliveries, their
    /// changes, and the cursor to ask after next.
    private func pull(
        _ platform: Platform, _ id: String, _ owner: Principal, after cursor: String? = nil, limit: Int = 50
    )
        async throws -> (items: [Delivery], changes: [RecordFeedDeliveryTests.Change], next: String?)
    {
        let page = try await platform.subscriptions.deliveries(
            id: id, state: nil, page: try PageRequest(cursor: cursor, limit: String(limit)), by: owner)
        let body =
            "{\"deliveries\":["
            + page.items.map { "{\"id\":\"\($0.id)\",\"change\":\($0.body)}" }
            .joined(separator: ",") + "]}"
        return (page.items, try RecordFeedDeliveryTests.changes(in: body), page.nextCursor)
    }
}
