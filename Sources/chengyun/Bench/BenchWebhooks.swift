import ChengyunCore
import ChengyunStore
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle

/// Webhooks at size, to a real HTTP receiver on loopback: `subscribers` webhook subscriptions to
/// one dataset, `changes` loads of it as fast as they commit while the dispatcher sends; each
/// delivery's latency from its change's commit to its receipt. Then an outage: the receiver
/// answers 503 for ten minutes of the platform's clock (advanced, not waited: the retry schedule
/// is the clock's), is back, and every change must arrive, none under an id twice.
enum BenchWebhooks {
    /// The platform's clock: the wall clock, plus however far the bench has moved it on.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var offset: Int64 = 0
        var now: Int64 { lock.withLock { EpochMillis.now() + offset } }
        func advance(_ millis: Int64) { lock.withLock { offset += millis } }
    }

    actor Receiver {
        var down = false
        var accepted: [String: Int] = [:]
        var latencies = Latencies()
        let clock: Clock

        init(clock: Clock) { self.clock = clock }

        func set(down: Bool) { self.down = down }

        /// 503 while down; otherwise each delivery is counted and its latency kept: the one in
        /// the body, or each of a batch (`batched`), by its own id and its own change's time.
        func take(id: String, body: String, batched: Bool) -> Int {
            guard !down else { return 503 }
            let now = clock.now
            guard batched else {
                accepted[id, default: 0] += 1
                if let at = Self.at(body) { latencies.record(milliseconds: Double(now - at)) }
                return 204
            }
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                let deliveries = parsed["deliveries"] as? [[String: Any]]
            else { return 400 }
            for delivery in deliveries {
                guard let id = delivery["id"] as? String, let change = delivery["change"] as? [String: Any] else {
                    return 400
                }
                accepted[id, default: 0] += 1
                if let at = (change["at"] as? NSNumber)?.int64Value { latencies.record(milliseconds: Double(now - at)) }
            }
            return 204
        }

        static func at(_ body: String) -> Int64? {
            guard let range = body.range(of: #""at":"#) else { return nil }
            return Int64(body[range.upperBound...].prefix { $0.isNumber })
        }

        var unique: Int { accepted.count }
        var total: Int { accepted.values.reduce(0, +) }
    }

    /// One run: `subscribers` subscriptions taking `batchSize` deliveries a POST, their figures
    /// under keys starting `prefix`; the subscriptions are cancelled at the end. `first` numbers
    /// the changes' rows, so runs one after another load different rows.
    static func measure(
        pool: any DatabasePool, settings: PlatformSettings, owner: Principal, code: String, changes: Int,
        subscribers: Int, batchSize: Int, lanes: Int, prefix: String, first: Int,
        port: Int, line: @escaping @Sendable (Int) -> String, header: String
    ) async throws -> [String: Any] {
        let clock = Clock()
        let platform = Platform(pool: pool, settings: settings, now: { clock.now })
        let receiver = Receiver(clock: clock)
        let router = Router()
        router.post("hook/{n}") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let id = request.headers[HTTPField.Name("X-Chengyun-Delivery")!] ?? ""
            let batched = request.headers[HTTPField.Name("X-Chengyun-Batch")!] != nil
            return Response(status: .init(code: await receiver.take(id: id, body: body, batched: batched)))
        }
        router.post("raw") { _, _ -> HTTPResponse.Status in .noContent }
        var logger = Logger(label: "bench.webhooks")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let server = Task { try await group.run() }
        defer { server.cancel() }
        try await Task.sleep(for: .seconds(1))
        // Subscribers are accounts (each judged as it stands at every change), at most 50 each.
        var subscriber: Principal?
        var made: [(id: String, owner: Principal)] = []
        for n in 0..<subscribers {
            if n % SubscriptionService.maxPerOwner == 0 {
                subscriber = .staff(
                    try await platform.people.createUser(
                        NewUser(
                            username: "bench.subscriber.\(first).\(n)", displayName: "bench",
                            password: "Bench-2026!x",
                            roles: [.handler], areaId: owner.scope?.areaId ?? "", departmentId: owner.departmentId),
                        by: .system))
            }
            let created = try await platform.subscriptions.subscribe(
                .init(
                    topic: .dataset, dataset: code, url: "http://127.0.0.1:\(port)/hook/\(n)", batchSize: batchSize),
                by: subscriber!)
            made.append((created.subscription.id, subscriber!))
        }
        let load: @Sendable (Int) async throws -> Void = { n in
            let file = Array((header + line(first + n)).utf8)
            _ = try await platform.datasetLoads.load(
                code: code, format: .csv, source: .push, dryRun: false,
                chunks: AsyncStream {
                    $0.yield(file); $0.finish()
                }, by: owner)
        }

        // Changes as fast as they commit, the dispatcher sending meanwhile.
        let expected = changes * subscribers
        let started = ContinuousClock.now
        // Stopped between rounds, never cancelled in one: a POST cut off after the receiver took it
        // would be sent again (under its id, as after a crash) and counted as a duplicate.
        let dispatcher = Task {
            while await receiver.unique < expected, ContinuousClock.now < started + .seconds(180) {
                let round = try await platform.webhooks.round(limit: 5_000, parallel: 50)
                if round == .init() { try await Task.sleep(for: .milliseconds(5)) }
            }
        }
        // `lanes` sources changing the dataset at once, as a city's systems do.
        let (_, loadMs) = try await BenchTiming.once {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<lanes {
                    group.addTask { for n in stride(from: lane, to: changes, by: lanes) { try await load(n) } }
                }
                try await group.waitForAll()
            }
        }
        _ = try await dispatcher.value
        let elapsed = (ContinuousClock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        let latencies = await receiver.latencies
        let delivered = await receiver.unique

        // Ten minutes of outage on the platform's clock, then back: nothing lost, nothing twice.
        await receiver.set(down: true)
        let outageChanges = max(1, changes / 10)
        for n in 0..<outageChanges { try await load(changes + n) }
        for _ in 0..<20 {
            _ = try await platform.webhooks.round(limit: 5_000, parallel: 50)
            clock.advance(30_000)
        }
        await receiver.set(down: false)
        let all = expected + outageChanges * subscribers
        for _ in 0..<40 where await receiver.unique < all {
            clock.advance(30_000)
            while try await platform.webhooks.round(limit: 5_000, parallel: 50) != .init() {}
        }
        let (unique, total) = (await receiver.unique, await receiver.total)
        // Baseline: as many bare POSTs of a delivery's size to the same receiver, the same client
        // settings and parallelism, no database — what the wire and the receiver allow.
        let raw = try await rawPosts(min(delivered, 5_000), parallel: 50, port: port)
        await group.triggerGracefulShutdown()
        _ = await server.result
        for (id, owner) in made { _ = try await platform.subscriptions.cancel(id: id, by: owner) }
        let figures: [String: Any] = [
            "subscribers": subscribers, "changes": changes, "batch_size": batchSize, "change_lanes": lanes,
            "changes_per_s": BenchResult.rounded(Double(changes) / (loadMs / 1000), 1),
            "deliveries_per_s": BenchResult.rounded(Double(delivered) / seconds, 1),
            "p50_ms": BenchResult.rounded(latencies.milliseconds(at: 50)),
            "p95_ms": BenchResult.rounded(latencies.milliseconds(at: 95)),
            "outage_minutes": 10, "outage_changes": outageChanges,
            "lost": all - unique, "duplicates": total - unique,
            "baseline_posts_per_s": BenchResult.rounded(raw, 1),
        ]
        return Dictionary(uniqueKeysWithValues: figures.map { (prefix + $0.key, $0.value) })
    }

    /// Bare POSTs a second: `count` of them, `parallel` at once, each a small JSON body.
    static func rawPosts(_ count: Int, parallel: Int, port: Int) async throws -> Double {
        let url = URL(string: "http://127.0.0.1:\(port)/raw")!
        let body = Data(#"{"topic":"dataset","dataset":"bench-points","version":1,"rowsIn":1,"kept":1}"#.utf8)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 4
        let session = URLSession(configuration: configuration)
        let (_, millis) = try await BenchTiming.once {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<parallel {
                    group.addTask {
                        for _ in stride(from: lane, to: count, by: parallel) {
                            var request = URLRequest(url: url, timeoutInterval: 10)
                            request.httpMethod = "POST"
                            request.setValue("application/json", forHTTPHeaderField: "content-type")
                            request.httpBody = body
                            _ = try await session.data(for: request)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        return Double(count) / (millis / 1000)
    }
}
