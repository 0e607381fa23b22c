import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Webhooks to a real receiver on loopback, on both backends: each change arrives signed under
/// its delivery id; while the receiver is down nothing is lost — the attempts back off and the
/// change arrives once it is up; after the last attempt it is dead, and a replay sends it again
/// under the same id.
@Suite struct WebhookDeliveryTests {
    actor Receiver {
        var secret = ""
        var down = false
        var received: [(id: String, body: String)] = []
        var badSignatures = 0
        func set(secret: String) { self.secret = secret }
        func set(down: Bool) { self.down = down }
        /// The status to answer: 503 while down, 401 for a bad signature, else 204 (kept).
        func take(id: String, signature: String, body: String) -> Int {
            if down { return 503 }
            let t = signature.split(separator: ",").first.map { String($0.dropFirst(2)) }.flatMap { Int64($0) } ?? 0
            guard WebhookPolicy.signature(secret: secret, timestamp: t, body: body) == signature else {
                badSignatures += 1
                return 401
            }
            received.append((id, body))
            return 204
        }
    }

    /// Runs `body` with `receiver` answering POSTs to `/hook` on a loopback port, keeping each under
    /// the value of `idHeader`.
    static func receiving(
        _ receiver: Receiver, idHeader: String, _ body: @escaping @Sendable (Int) async throws -> Void
    )
        async throws
    {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let status = await receiver.take(
                id: request.headers[HTTPField.Name(idHeader)!] ?? "",
                signature: request.headers[HTTPField.Name("X-Chengyun-Signature")!] ?? "", body: body)
            return Response(status: .init(code: status))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(try #require(client.port)) }
    }

    @Test(arguments: TestBackend.available) func deliveredSignedNoneLostNoneUnderTwoIds(backend: TestBackend)
        async throws
    {
        let receiver = Receiver()
        try await Self.receiving(receiver, idHeader: "X-Chengyun-Delivery") { port in
            let clock = TestClock()
            try await withPlatform(backend, clock: clock) { platform in
                let f = try await CaseFixture.make(platform)
                let supervisor = try await f.account(platform, "hook.supervisor", .supervisor)
                let created = try await platform.subscriptions.subscribe(
                    .init(topic: .incident, url: "http://127.0.0.1:\(port)/hook"), by: supervisor)
                await receiver.set(secret: try #require(created.secret))
                let open = { (title: String) in
                    _ = try await platform.incidents.open(
                        NewIncident(
                            title: title, incidentType: "gas_leak", lon: CaseFixture.pointA.lon,
                            lat: CaseFixture.pointA.lat), by: supervisor)
                }
                try await open("人民路燃气泄漏")
                // A round whose time is up starts no POST: the delivery waits, due, for the next.
                #expect(try await platform.webhooks.round(until: .now) == .init())
                #expect(await receiver.received.isEmpty)
                #expect(try await platform.webhooks.round() == .init(delivered: 1))
                let first = await receiver.received
                #expect(first.count == 1 && first[0].body.contains("人民路燃气泄漏"))

                // The receiver is down: the attempts back off (1 s, 2 s, 4 s …) and nothing is lost.
                await receiver.set(down: true)
                clock.advance(minutes: 1)
                try await open("干将路燃气泄漏")
                #expect(try await platform.webhooks.round() == .init(failed: 1))
                #expect(try await platform.webhooks.round() == .init(), "not due again within the second")
                for _ in 0..<5 {
                    clock.advance(minutes: 5)
                    _ = try await platform.webhooks.round()
                }
                await receiver.set(down: false)
                clock.advance(minutes: 5)
                #expect(try await platform.webhooks.round() == .init(delivered: 1))
                let log = try await platform.subscriptions.deliveries(
                    id: created.subscription.id, state: nil, page: PageRequest(), by: supervisor
                ).items
                #expect(log.map(\.state) == [.delivered, .delivered] && log[1].attempts == 7)
                let ids = await receiver.received.map(\.id)
                #expect(ids == log.map(\.id), "each change arrived once, under its delivery id")

                // Down for good: the twentieth attempt is the last, and the delivery is dead…
                await receiver.set(down: true)
                clock.advance(minutes: 1)
                try await open("十全街燃气泄漏")
                for _ in 0..<WebhookPolicy.maxAttempts {
                    _ = try await platform.webhooks.round()
                    clock.advance(minutes: 5)
                }
                let dead = try await platform.subscriptions.deliveries(
                    id: created.subscription.id, state: .dead, page: PageRequest(), by: supervisor
                ).items
                #expect(dead.count == 1 && dead[0].attempts == WebhookPolicy.maxAttempts && dead[0].lastStatus == 503)
                // …until the receiver is back and the owner replays from a point: the same id again.
                await receiver.set(down: false)
                #expect(
                    try await platform.subscriptions.replay(
                        id: created.subscription.id, from: dead[0].createdAt, by: supervisor) == 1)
                #expect(try await platform.webhooks.round() == .init(delivered: 1))
                #expect(await receiver.received.last?.id == dead[0].id)
                #expect(await receiver.badSignatures == 0)
            }
        }
    }
}
