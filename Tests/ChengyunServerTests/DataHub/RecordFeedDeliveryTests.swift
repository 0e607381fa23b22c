import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Record feeds (topic `records`) to a real receiver on loopback, on both backends: each record a
/// load writes arrives once under its own id, in order, signed, with the record as it stands; a
/// failed load sends nothing; a refused POST is tried again whole and, after the last attempt,
/// goes to the dead-letter list; a replay sends again under the same ids; a follower made after a
/// load hears only later ones; an owner who may no longer read hears nothing.
@Suite struct RecordFeedDeliveryTests {
    typealias Receiver = WebhookDeliveryTests.Receiver

    @Test(arguments: TestBackend.available) func eachChangeArrivesOnceInOrderWithItsRecord(backend: TestBackend)
        async throws
    {
        let receiver = Receiver()
        try await Self.withFeed(backend, receiver, batchSize: 3) { platform, clock, f, loader, owner, id in
            #expect(try await platform.recordFeeds.round() == .init(), "nothing loaded yet")
            try await Self.load(platform, BinsLedger.text(f), loader)
            #expect(try await platform.recordFeeds.round() == .init(delivered: 2))
            let first = try await Self.received(receiver)
            #expect(first.map(\.place) == ["1.1", "1.2"] && first.map(\.key) == ["LJ001", "LJ002"])
            #expect(first.allSatisfy { $0.id.hasSuffix(".\(id)") } && Set(first.map(\.id)).count == 2)
            #expect(first[0].record?["bins"] as? Int == 3 && first[0].record?["name"] as? String == "东园投放点")

            // A file that cannot be read rolls back: no change, nothing sent.
            await #expect(throws: DomainError.self) {
                try await Self.load(platform, BinsLedger.text(f) + "X,\"open\n", loader)
            }
            #expect(try await platform.recordFeeds.round() == .init())

            // Refused: tried again whole after the back-off, under the same ids, and no larger — a
            // load made meanwhile waits for the next batch.
            await receiver.set(down: true)
            try await Self.load(platform, BinsLedger.text(f, bins: 6), loader)
            #expect(try await platform.recordFeeds.round() == .init(failed: 2))
            #expect(try await platform.recordFeeds.round() == .init(), "waits its back-off")
            try await Self.load(platform, BinsLedger.text(f, bins: 8), loader)
            await receiver.set(down: false)
            clock.advance(millis: 1_000)
            #expect(try await platform.recordFeeds.round() == .init(delivered: 4))
            let posts = try await receiver.received.map { try Self.changes(in: $0.body).map(\.place) }
            #expect(
                posts == [["1.1", "1.2"], ["2.1", "2.2"], ["3.1", "3.2"]], "the held batch alone, then the next")
            let all = try await Self.received(receiver)
            #expect(Set(all.map(\.id)).count == 6)
            #expect(all[2].record?["bins"] as? Int == 8, "the record as it stands when sent")
            #expect(await receiver.badSignatures == 0)

            // A replay from the start sends every change again under its own id.
            clock.advance(millis: 1_000)
            #expect(try await platform.subscriptions.replay(id: id, from: 0, by: owner) == 6)
            #expect(try await platform.recordFeeds.round() == .init(delivered: 6))
            #expect(try await Self.received(receiver).map(\.id).suffix(6) == all.map(\.id)[...], "under the same ids")

            // Cancelled, it hears no more.
            _ = try await platform.subscriptions.cancel(id: id, by: owner)
            try await Self.load(platform, BinsLedger.text(f, bins: 7), loader)
            #expect(try await platform.recordFeeds.round() == .init())
        }
    }

    @Test(arguments: TestBackend.available) func afterTheLastAttemptTheBatchIsADeadLetter(backend: TestBackend)
        async throws
    {
        let receiver = Receiver()
        try await Self.withFeed(backend, receiver, batchSize: 100) { platform, clock, f, loader, owner, id in
            await receiver.set(down: true)
            try await Self.load(platform, BinsLedger.text(f), loader)
            for _ in 1..<WebhookPolicy.maxAttempts {
                #expect(try await platform.recordFeeds.round() == .init(failed: 2))
                clock.advance(millis: WebhookPolicy.maxDelayMillis)
            }
            #expect(try await platform.recordFeeds.round() == .init(dead: 2))
            let dead = try await platform.subscriptions.deliveries(
                id: id, state: .dead, page: PageRequest(), by: owner
            ).items
            #expect(dead.count == 2 && dead.allSatisfy { $0.id.hasSuffix(".\(id)") })
            #expect(dead.allSatisfy { $0.attempts == WebhookPolicy.maxAttempts && $0.topic == .records })

            // The cursor moved past them: the next load is not held back.
            await receiver.set(down: false)
            try await Self.load(platform, BinsLedger.text(f, bins: 5), loader)
            #expect(try await platform.recordFeeds.round() == .init(delivered: 2))
            #expect(try await Self.received(receiver).map(\.place) == ["2.1", "2.2"])
            // Dead letters are pruned with the deliveries of their time, not with the subscription's.
            clock.advance(millis: 31 * 86_400_000)
            _ = try await platform.dataHubPruning.prune()
            #expect(
                try await platform.subscriptions.deliveries(id: id, state: .dead, page: PageRequest(), by: owner).items
                    .isEmpty)
        }
    }

    @Test(arguments: TestBackend.available) func aFollowerHearsOnlyWhatItMayReadAfterItFollows(backend: TestBackend)
        async throws
    {
        let receiver = Receiver()
        try await WebhookDeliveryTests.receiving(receiver, idHeader: "X-Chengyun-Batch") { port in
            try await withPlatform(backend, clock: TestClock()) { platform in
                let (f, loader) = try await BinsLedger.publish(platform, sharing: .unconditional)
                let service = platform.subscriptions
                let hook = "http://127.0.0.1:\(port)/hook"
                // An early follower, so the first load writes its changes to the feed.
                let colleague = try await f.account(platform, "bins.colleague", .handler, department: f.citySanitation)
                let early = try await service.subscribe(
                    .init(topic: .records, dataset: "bins", url: hook), by: colleague)
                await receiver.set(secret: try #require(early.secret))
                try await Self.load(platform, BinsLedger.text(f), loader)
                let reader = try await f.account(
                    platform, "district.reader", .handler, in: f.district, department: f.districtSanitation)
                let unnamed = SubscriptionInput(topic: .records, url: hook)
                #expect(await errorCode { try await service.subscribe(unnamed, by: reader) } == "validation_failed")
                let made = try await service.subscribe(.init(topic: .records, dataset: "bins", url: hook), by: reader)
                #expect(made.subscription.batchSize == RecordFeed.defaultBatchSize)
                #expect(
                    try await platform.recordFeeds.round() == .init(delivered: 2), "the colleague's, not the reader's")
                // Cancelled while another still follows: the feed goes on, and it hears no more.
                _ = try await service.cancel(id: early.subscription.id, by: colleague)
                await receiver.set(secret: try #require(made.secret))
                try await Self.load(platform, BinsLedger.text(f, bins: 4), loader)
                #expect(try await platform.recordFeeds.round() == .init(delivered: 2))
                let heard = try await Self.received(receiver)
                #expect(heard.filter { $0.id.hasSuffix(".\(made.subscription.id)") }.map(\.version) == [2, 2])
                #expect(heard.count == 4, "cancelled followers hear nothing more")

                // An account made inactive hears nothing; its cursor moves past what it may not hear.
                _ = try await platform.people.updateUser(id: reader.id, UserChange(active: false), by: .system)
                try await Self.load(platform, BinsLedger.text(f, bins: 5), loader)
                #expect(try await platform.recordFeeds.round() == .init())
                _ = try await platform.people.updateUser(id: reader.id, UserChange(active: true), by: .system)
                #expect(try await platform.recordFeeds.round() == .init(), "passed over, not kept for later")
                #expect(try await Self.received(receiver).count == 4)
            }
        }
    }

    // MARK: Steps

    /// Runs `body` with the bins ledger published on `backend`, its owner following its records
    /// by webhook to `receiver` (the secret given to the receiver).
    static func withFeed(
        _ backend: TestBackend, _ receiver: Receiver, batchSize: Int,
        _ body:
            @escaping @Sendable (Platform, TestClock, CaseFixture, Principal, Principal, String) async throws -> Void
    ) async throws {
        try await WebhookDeliveryTests.receiving(receiver, idHeader: "X-Chengyun-Batch") { port in
            let clock = TestClock()
            try await withPlatform(backend, clock: clock) { platform in
                let (f, loader) = try await BinsLedger.publish(platform, sharing: .conditional)
                let owner = try await f.account(platform, "bins.follower", .handler, department: f.citySanitation)
                let made = try await platform.subscriptions.subscribe(
                    .init(topic: .records, dataset: "bins", url: "http://127.0.0.1:\(port)/hook", batchSize: batchSize),
                    by: owner)
                await receiver.set(secret: try #require(made.secret))
                try await body(platform, clock, f, loader, owner, made.subscription.id)
            }
        }
    }

    static func load(_ platform: Platform, _ text: String, _ loader: Principal) async throws {
        _ = try await platform.datasetLoads.load(
            code: "bins", format: .csv, source: .push, dryRun: false, chunks: BinsLedger.chunks(text), by: loader)
    }

    struct Change {
        var id: String
        var key: String
        var version: Int
        var ordinal: Int
        var record: [String: Any]?
        /// `<version>.<ordinal>`: where the change stands in the feed.
        var place: String { "\(version).\(ordinal)" }
    }

    /// Every change received so far, in the order received, out of the batches' bodies.
    static func received(_ receiver: Receiver) async throws -> [Change] {
        try await receiver.received.flatMap { try changes(in: $0.body) }
    }

    /// The changes of one batch's body, in order.
    static func changes(in body: String) throws -> [Change] {
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        return try #require(parsed["deliveries"] as? [[String: Any]]).map { element in
            let change = element["change"] as? [String: Any] ?? [:]
            return Change(
                id: element["id"] as? String ?? "", key: change["key"] as? String ?? "",
                version: change["version"] as? Int ?? 0, ordinal: change["ordinal"] as? Int ?? 0,
                record: change["record"] as? [String: Any])
        }
    }
}
