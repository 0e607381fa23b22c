import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A subscription that takes its deliveries in batches, to a real receiver on loopback, on both
/// backends: a burst arrives in POSTs of at most the batch size, each signed and holding every
/// delivery under its own id in order; a refused batch is tried again whole, and nothing is lost
/// or sent under two ids.
@Suite struct WebhookBatchDeliveryTests {
    typealias Receiver = WebhookDeliveryTests.Receiver

    @Test(arguments: TestBackend.available) func aBurstArrivesInSignedBatchesEachDeliveryOnce(backend: TestBackend)
        async throws
    {
        let receiver = Receiver()
        try await Self.withBatchSubscription(backend, receiver) { platform, clock, supervisor, created, open in
            for n in 1...5 { try await open("燃气泄漏 \(n)") }
            #expect(try await platform.webhooks.round() == .init(delivered: 5))
            let posts = await receiver.received
            #expect(posts.map(\.id) == ["3", "2"], "two POSTs: three deliveries, then two")
            let log = try await deliveries(platform, created.subscription.id, supervisor)
            #expect(try posts.flatMap { try Self.ids(in: $0.body) } == log.map(\.id), "every id once, in order")
            #expect(try posts.flatMap { try Self.titles(in: $0.body) } == (1...5).map { "燃气泄漏 \($0)" })
            #expect(log.allSatisfy { $0.state == .delivered && $0.attempts == 1 })

            // Refused: the batch is tried again whole after the back-off, under the same ids.
            await receiver.set(down: true)
            clock.advance(minutes: 1)
            for n in 6...7 { try await open("燃气泄漏 \(n)") }
            #expect(try await platform.webhooks.round() == .init(failed: 2))
            await receiver.set(down: false)
            clock.advance(minutes: 1)
            #expect(try await platform.webhooks.round() == .init(delivered: 2))
            let again = try await deliveries(platform, created.subscription.id, supervisor)
            #expect(again.suffix(2).allSatisfy { $0.state == .delivered && $0.attempts == 2 })
            let all = try await receiver.received.flatMap { try Self.ids(in: $0.body) }
            #expect(all == again.map(\.id) && Set(all).count == 7)
            #expect(await receiver.badSignatures == 0)
        }
    }

    /// Deliveries tried a different number of times share a POST, and each keeps its own count
    /// and back-off; the later one is not sent while the earlier one waits. A cancelled batched
    /// subscription's deliveries go dead unsent.
    @Test(arguments: TestBackend.available) func deliveriesInOneBatchKeepTheirOwnBackOff(backend: TestBackend)
        async throws
    {
        let receiver = Receiver()
        try await Self.withBatchSubscription(backend, receiver) { platform, clock, supervisor, created, open in
            await receiver.set(down: true)
            try await open("燃气泄漏 1")
            #expect(try await platform.webhooks.round() == .init(failed: 1))
            try await open("燃气泄漏 2") // a second on: the first is due again, beside the new one
            #expect(try await platform.webhooks.round() == .init(failed: 2))
            let now = clock.now
            let tried = try await deliveries(platform, created.subscription.id, supervisor)
            #expect(tried.map(\.attempts) == [2, 1])
            #expect(tried.map(\.nextAttemptAt) == [now + 2_000, now + 1_000])
            clock.advance(millis: 1_000)
            #expect(try await platform.webhooks.round() == .init(), "the second waits behind the first")
            await receiver.set(down: false)
            clock.advance(millis: 1_000)
            #expect(try await platform.webhooks.round() == .init(delivered: 2))
            let posts = await receiver.received
            #expect(try posts.count == 1 && Self.ids(in: posts[0].body) == tried.map(\.id))

            try await open("燃气泄漏 3")
            _ = try await platform.subscriptions.cancel(id: created.subscription.id, by: supervisor)
            #expect(try await platform.webhooks.round() == .init(dead: 1))
            #expect(await receiver.received.count == 1, "nothing sent for a cancelled subscription")
        }
    }

    @Test(arguments: TestBackend.available) func aBatchSizeIsOneToFiveHundredAndOnlyForWebhooks(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let supervisor = try await f.account(platform, "batch.asker", .supervisor)
            for (size, url) in [(0, "http://127.0.0.1:9/hook"), (501, "http://127.0.0.1:9/hook"), (10, nil)] {
                let error = await #expect(throws: DomainError.self) {
                    try await platform.subscriptions.subscribe(
                        .init(topic: .incident, url: url, batchSize: size), by: supervisor)
                }
                #expect(error?.issues.map(\.field) == ["batchSize"])
            }
            let single = try await platform.subscriptions.subscribe(
                .init(topic: .incident, url: "http://127.0.0.1:9/hook"), by: supervisor)
            #expect(single.subscription.batchSize == 1)
            let pulled = try await platform.subscriptions.subscribe(
                .init(topic: .incident, batchSize: 1), by: supervisor)
            #expect(pulled.subscription.batchSize == 1, "what a subscription reads back may be sent back")
        }
    }

    /// Runs `body` with a platform on `backend` whose supervisor subscribes to incidents by webhook
    /// to `receiver`, three deliveries a POST (the secret given to the receiver).
    private static func withBatchSubscription(
        _ backend: TestBackend, _ receiver: Receiver,
        _ body:
            @escaping @Sendable (
                Platform, TestClock, Principal, NewSubscription, @Sendable (String) async throws -> Void
            ) async throws -> Void
    ) async throws {
        try await WebhookDeliveryTests.receiving(receiver, idHeader: "X-Chengyun-Batch") { port in
            let clock = TestClock()
            try await withPlatform(backend, clock: clock) { platform in
                let f = try await CaseFixture.make(platform)
                let supervisor = try await f.account(platform, "batch.supervisor", .supervisor)
                let created = try await platform.subscriptions.subscribe(
                    .init(topic: .incident, url: "http://127.0.0.1:\(port)/hook", batchSize: 3), by: supervisor)
                #expect(created.subscription.batchSize == 3)
                await receiver.set(secret: try #require(created.secret))
                try await body(platform, clock, supervisor, created, opener(platform, clock, supervisor))
            }
        }
    }

    /// Opens an incident a second after the last change: delivery ids sort by their change's clock.
    private static func opener(_ platform: Platform, _ clock: TestClock, _ supervisor: Principal)
        -> @Sendable (String) async throws -> Void
    {
        { title in
            clock.advance(millis: 1_000)
            _ = try await platform.incidents.open(
                NewIncident(
                    title: title, incidentType: "gas_leak", lon: CaseFixture.pointA.lon, lat: CaseFixture.pointA.lat),
                by: supervisor)
        }
    }

    private func deliveries(_ platform: Platform, _ id: String, _ owner: Principal) async throws -> [Delivery] {
        try await platform.subscriptions.deliveries(id: id, state: nil, page: PageRequest(), by: owner).items
    }

    private static func elements(in body: String) throws -> [[String: Any]] {
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        return try #require(parsed["deliveries"] as? [[String: Any]])
    }

    private static func ids(in body: String) throws -> [String] {
        try elements(in: body).compactMap { $0["id"] as? String }
    }

    private static func titles(in body: String) throws -> [String] {
        try elements(in: body).compactMap {
            (($0["change"] as? [String: Any])?["event"] as? [String: Any]).flatMap { $0["title"] as? String }
        }
    }
}
