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
        /// The largest POST taken, replayed by the baseline.
        var sample: (body: String, batch: Int?)?
        var latencies = Latencies()
        let clock: Clock

        init(clock: Clock) { self.clock = clock }

        func set(down: Bool) { self.down = down }

        /// 503 while down; otherwise each delivery is counted by its own id and its latency kept,
        /// from its own change's time. The body is read by the route, outside the receiver:
        /// fifty receivers are fifty systems, not one queue.
        func take(_ receipts: [(id: String, at: Int64?)], body: String, batch: Int?) -> Int {
            guard !down else { return 503 }
            if (batch ?? 1) >= (sample?.batch ?? 1) { sample = (body, batch) }
            let now = clock.now
            for (id, at) in receipts {
                accepted[id, default: 0] += 1
                if let at { latencies.record(milliseconds: Double(now - at)) }
            }
            return 204
        }

        /// A POST's deliveries: the one in the headers, or each of a batch of `batch` (nil: not a
        /// batch), as `(id, the change's "at")`; nil when the body is not what was announced.
        static func receipts(id: String, body: String, batch: Int?) -> [(id: String, at: Int64?)]? {
            let bytes = Array(body.utf8)
            guard let batch else { return [(id, at(bytes, 0..<bytes.count))] }
            // Each element is {"id":"…","topic":"…","change":{… ,"at":<ms>}}: its id, and the
            // last "at" before the next element (a change's own time is its last member).
            let starts = occurrences(of: Array(#"{"id":""#.utf8), in: bytes)
            var found: [(id: String, at: Int64?)] = []
            for (n, start) in starts.enumerated() {
                let from = start + 7
                guard let end = bytes[from...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                let next = n + 1 < starts.count ? starts[n + 1] : bytes.count
                found.append((String(decoding: bytes[from..<end], as: UTF8.self), at(bytes, end..<next)))
            }
            return found.count == batch ? found : nil
        }

        /// The number after the last `"at":` in `range`.
        static func at(_ bytes: [UInt8], _ range: Range<Int>) -> Int64? {
            guard let mark = occurrences(of: Array(#""at":"#.utf8), in: bytes, range).last else { return nil }
            let digits = bytes[(mark + 5)...].prefix { (48...57).contains($0) }
            return Int64(String(decoding: digits, as: UTF8.self))
        }

        static func occurrences(of needle: [UInt8], in bytes: [UInt8], _ range: Range<Int>? = nil) -> [Int] {
            let range = range ?? 0..<bytes.count
            var found: [Int] = []
            bytes.withUnsafeBufferPointer { buffer in
                var i = range.lowerBound
                let last = range.upperBound - needle.count
                while i <= last {
                    if buffer[i] == needle[0] {
                        var j = 1
                        while j < needle.count, buffer[i + j] == needle[j] { j += 1 }
                        if j == needle.count {
                            found.append(i)
                            i += j
                            continue
                        }
                    }
                    i += 1
                }
            }
            return found
        }

        /// Room for `count` ids: a run's million receipts would otherwise grow the table again and again.
        func expect(_ count: Int) { accepted.reserveCapacity(count) }

        var unique: Int { accepted.count }
        var total: Int { accepted.values.reduce(0, +) }
    }

    /// One run: `subscribers` subscriptions to `topic` taking `batchSize` deliveries a POST, their
    /// figures under keys starting `prefix`; the subscriptions are cancelled at the end. `first`
    /// numbers the changes' rows, so runs one after another load different rows. A change is a
    /// load of one row for `dataset` (a version apiece); for `records` it is a record, pushed
    /// `recordsPerLoad` to a load, as a source pushing what changed since its last push does.
    static func measure(
        pool: any DatabasePool, settings: PlatformSettings, owner: Principal, code: String, changes: Int,
        subscribers: Int, batchSize: Int, lanes: Int, prefix: String, first: Int,
        port: Int, line: @escaping @Sendable (Int) -> String, header: String,
        topic: SubscriptionTopic = .dataset, recordsPerLoad: Int = 1, rate: Double? = nil
    ) async throws -> [String: Any] {
        let perLoad = topic == .records ? max(1, recordsPerLoad) : 1
        let loads = max(1, changes / perLoad)
        let changes = loads * perLoad
        let clock = Clock()
        let platform = Platform(pool: pool, settings: settings, now: { clock.now })
        let receiver = Receiver(clock: clock)
        let router = Router()
        router.post("hook/{n}") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let id = request.headers[HTTPField.Name("X-Chengyun-Delivery")!] ?? ""
            let batch = request.headers[HTTPField.Name("X-Chengyun-Batch")!].map { Int($0) ?? -1 }
            guard let receipts = Receiver.receipts(id: id, body: body, batch: batch) else {
                return Response(status: .badRequest)
            }
            return Response(status: .init(code: await receiver.take(receipts, body: body, batch: batch)))
        }
        // The baseline's receiver reads each POST as the hooks do, and keeps nothing.
        router.post("raw") { request, _ -> HTTPResponse.Status in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let batch = request.headers[HTTPField.Name("X-Chengyun-Batch")!].map { Int($0) ?? -1 }
            return Receiver.receipts(id: "raw", body: body, batch: batch) == nil ? .badRequest : .noContent
        }
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
                .init(topic: topic, dataset: code, url: "http://127.0.0.1:\(port)/hook/\(n)", batchSize: batchSize),
                by: subscriber!)
            made.append((created.subscription.id, subscriber!))
        }
        let load: @Sendable (Int) async throws -> Void = { n in
            let rows = (0..<perLoad).map { line(first + n * perLoad + $0) }.joined()
            let file = Array((header + rows).utf8)
            _ = try await platform.datasetLoads.load(
                code: code, format: .csv, source: .push, dryRun: false,
                chunks: AsyncStream {
                    $0.yield(file); $0.finish()
                }, by: owner)
        }

        // Changes as fast as they commit, the dispatcher sending meanwhile.
        let expected = changes * subscribers
        await receiver.expect(expected + expected / 5)
        let started = ContinuousClock.now
        // Stopped between rounds, never cancelled in one: a POST cut off after the receiver took it
        // would be sent again (under its id, as after a crash) and counted as a duplicate.
        // The server's own loop (`WebhookLoop`), without its pause at each second's tick.
        let dispatcher = Task {
            try await WebhookLoop(platform: platform).run(until: started + .seconds(180)) {
                await receiver.unique < expected
            }
        }
        // `lanes` sources changing the dataset at once, as a city's systems do: at `rate` changes a
        // second in all when given (each load when its turn comes), else as fast as loads commit.
        let interval = rate.map { Double(perLoad) / $0 }
        let (_, loadMs) = try await BenchTiming.once {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<lanes {
                    group.addTask {
                        for n in stride(from: lane, to: loads, by: lanes) {
                            if let interval { try await Task.sleep(until: started + .seconds(interval * Double(n))) }
                            try await load(n)
                        }
                    }
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
        let outageLoads = max(1, loads / 10)
        let outageChanges = outageLoads * perLoad
        for n in 0..<outageLoads { try await load(loads + n) }
        for _ in 0..<20 {
            _ = try await dispatch(platform)
            clock.advance(30_000)
        }
        await receiver.set(down: false)
        let all = expected + outageChanges * subscribers
        for _ in 0..<40 where await receiver.unique < all {
            clock.advance(30_000)
            while try await dispatch(platform) != .init() {}
        }
        let (unique, total) = (await receiver.unique, await receiver.total)
        // Baseline: the largest POST taken, sent again bare to a receiver reading it as the hooks
        // do, the same client settings and parallelism, no database — what the wire allows.
        let sample = await receiver.sample
        let raw = try await rawPosts(
            min(delivered / max(1, sample?.batch ?? 1), 5_000), parallel: 50, port: port, sample: sample)
        await group.triggerGracefulShutdown()
        _ = await server.result
        for (id, owner) in made { _ = try await platform.subscriptions.cancel(id: id, by: owner) }
        let figures: [String: Any] = [
            "subscribers": subscribers, "changes": changes, "batch_size": batchSize, "change_lanes": lanes,
            "changes_per_load": perLoad, "offered_changes_per_s": rate ?? 0,
            "changes_per_s": BenchResult.rounded(Double(changes) / (loadMs / 1000), 1),
            "deliveries_per_s": BenchResult.rounded(Double(delivered) / seconds, 1),
            "p50_ms": BenchResult.rounded(latencies.milliseconds(at: 50)),
            "p95_ms": BenchResult.rounded(latencies.milliseconds(at: 95)),
            "outage_minutes": 10, "outage_changes": outageChanges,
            "lost": all - unique, "duplicates": total - unique,
            "baseline_posts_per_s": BenchResult.rounded(raw, 1),
            "baseline_deliveries_per_s": BenchResult.rounded(raw * Double(sample?.batch ?? 1), 1),
        ]
        return Dictionary(uniqueKeysWithValues: figures.map { (prefix + $0.key, $0.value) })
    }

    /// One round of each dispatcher, as the server's loop makes it: deliveries, and record feeds' cursors.
    static func dispatch(_ platform: Platform) async throws -> WebhookDispatcher.Round {
        try await WebhookLoop(platform: platform).round()
    }

    /// Bare POSTs a second: `count` of them, `parallel` at once, each `sample`'s body (or a small one).
    static func rawPosts(_ count: Int, parallel: Int, port: Int, sample: (body: String, batch: Int?)?) async throws
        -> Double
    {
        let url = URL(string: "http://127.0.0.1:\(port)/raw")!
        let body = Data(
            (sample?.body ?? #"{"topic":"dataset","dataset":"bench-points","version":1,"rowsIn":1,"kept":1}"#).utf8)
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
                            if let batch = sample?.batch {
                                request.setValue(String(batch), forHTTPHeaderField: "X-Chengyun-Batch")
                            }
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
