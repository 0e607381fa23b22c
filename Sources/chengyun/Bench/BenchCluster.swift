import ArgumentParser
import ChengyunCore
import ChengyunServer
import ChengyunStore
import Foundation
import NIOCore
import Synchronization

/// Several nodes on one PostgreSQL database (issue 24), each a whole server — its own pool, memory,
/// relay, lease and HTTP port — run in this one process. Telemetry is posted over HTTP to node A
/// at `--rate` readings a second, every reading moving an alarm (raised, then cleared); the alarm
/// events are taken where node C's live streams get them: cross-node latency from the change's
/// time at A to C, beside the same events on A's own streams (the same-run baseline), events a
/// second, and events lost (written to the outbox but never reaching C). Then the same ingest
/// work flat out, first all to one node, then spread over every node (each connection its own
/// devices, whose rule shards any node may hold: a node judges its own shards' lines and queues
/// the rest for their owners, so the spread run counts readings stored and judged, queue included).
struct BenchCluster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Events across nodes on one PostgreSQL database, and N nodes against one.")

    /// `--database` (required here) and `--nodes` (at least 2), as every bench takes them.
    @OptionGroup var target: BenchTarget
    @Option(help: "Alarm-moving readings a second posted to node A.") var rate = 2000
    @Option var seconds = 10
    @Option var devices = 2000
    @Option(help: "Seconds of flat-out ingest for the throughput comparison, per phase.") var throughputSeconds = 5
    @Option var port = 18_191

    var nodes: Int { target.nodes }

    func validate() throws {
        try target.requirePostgres("bench cluster runs nodes on one PostgreSQL database")
        guard nodes >= 2 else { throw ValidationError("--nodes: at least 2 (bench cluster compares nodes; 3, say)") }
    }

    func run() async throws { print(try await measure().json) }

    func measure() async throws -> BenchResult {
        try validate()
        let scratch = target.scratch
        defer { scratch.remove() }
        let pool = try await scratch.open()
        let first = Platform(pool: pool, settings: scratch.settings)
        // Every node served, with its background services (lease, relay, listener, clocks); the
        // nodes stopped, the pools closed and the schema dropped however the run ends.
        return try await scratch.closing(pool) {
            let city = try await BenchIngest.environmentCity(first, devices: devices)
            let key = try await first.people.createAPIKey(
                NewAPIKey(name: "bench gateway", scopes: [.telemetryWrite], areaId: city.id), by: .system)
            return try await BenchNodes.with(
                first: first, count: nodes, scratch: scratch, settings: scratch.settings, port: port
            ) { served in try await measure(served, key: key.secret) }
        }
    }

    private func measure(_ served: BenchNodes, key: String) async throws -> BenchResult {
        let first = served.platforms[0]
        let platforms = served.platforms
        let leaders = platforms.filter(\.cluster.isLeader).count
        // Node A is the one that leads, node C another; each judges its own rule shards, so most of
        // the alarms on A's own streams were judged on another node and came through the outbox too.
        guard let a = served.leader else { throw BenchFailure("cluster: no node leads") }
        let c = (a + nodes - 1) % nodes
        print("\(nodes) nodes up, \(leaders) leading; posting \(rate) alarm moves a second to node A for \(seconds) s…")

        let remote = Watch(platforms[c])
        let local = Watch(platforms[a])
        try await remote.start()
        try await local.start()
        let startSeq = try await first.pool.read { db in
            try await db.raw("SELECT COALESCE(MAX(seq), 0) AS n FROM event_outbox").first()?
                .decode(column: "n", as: Int64.self) ?? 0
        }
        // Four connections to node A, each a quarter of the rate and of the devices.
        let posted = try await post(
            to: Array(repeating: port + a, count: 4), key: key, perSecond: max(1, rate / 4),
            seconds: Double(seconds), devices: 0..<devices)
        try await Task.sleep(for: .seconds(3))
        let written = try await first.pool.read { db in
            try await db.raw("SELECT seq FROM event_outbox WHERE seq > \(bind: startSeq) AND name = 'alarm'").all()
                .map { try $0.decode(column: "seq", as: Int64.self) }
        }
        let (remoteSeen, remoteLatency) = remote.stop()
        let (localSeen, localLatency) = local.stop()
        let lost = Set(written).subtracting(remoteSeen).count
        print(
            "posted \(posted.readings) readings; \(written.count) alarm events written, \(remoteSeen.count) reached node C, \(localSeen.count) node A's own streams"
        )

        print("flat out for \(throughputSeconds) s: all to node A, then spread over \(nodes) nodes…")
        let one = try await post(
            to: [port + a], key: key, perSecond: nil, seconds: Double(throughputSeconds), devices: 0..<devices)
        let all = try await post(
            to: (0..<nodes).map { port + $0 }, key: key, perSecond: nil, seconds: Double(throughputSeconds),
            devices: 0..<devices)
        // Acknowledged includes what waits in the owners' queues: the run ends when those are judged.
        let spreadSeconds = all.seconds + (try await served.drainInbox())
        let figures: [String: Any] = [
            "nodes": nodes, "leaders": leaders, "events_per_s": Int(Double(remoteSeen.count) / posted.seconds),
            "events_written": written.count, "lost_events": lost, "readings_posted": posted.readings,
            "failed_requests": posted.failed + one.failed,
            "single_node_readings_per_s": Int(Double(one.readings) / one.seconds),
            "nodes_readings_per_s": Int(Double(all.readings) / spreadSeconds),
            "queue_drain_ms": BenchResult.rounded((spreadSeconds - all.seconds) * 1000),
        ]
        .merging(try remoteLatency.figures("cross_node")) { a, _ in a }
        .merging([
            "cross_node_p95_ms": BenchResult.rounded(remoteLatency.milliseconds(at: 95)),
            "same_node_p95_ms": BenchResult.rounded(localLatency.milliseconds(at: 95)),
            "spread_failed_requests": all.failed,
        ]) { a, _ in a }
        .merging(try localLatency.figures("same_node")) { a, _ in a }
        return BenchResult(
            "cluster",
            baselineMethod:
                "the same alarm events on node A's own streams (same run; those judged on another node reach A through the outbox as they reach C); throughput: the same ingest work all posted to one node",
            figures)
    }

    /// Posts CSV batches of readings, each moving its device's PM2.5 across the red band and back,
    /// round-robin over `ports` (each port its own slice of the devices): at `perSecond` readings
    /// a second in ten batches a second, or as fast as one connection a port goes.
    private func post(
        to ports: [Int], key: String, perSecond: Int?, seconds: Double, devices: Range<Int>
    ) async throws -> (readings: Int, failed: Int, seconds: Double) {
        let started = ContinuousClock.now
        let totals = Totals()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (slot, target) in ports.enumerated() {
                let mine = Array(devices).filter { $0 % ports.count == slot }
                let batch = perSecond.map { max(1, $0 / 10) } ?? 500
                group.addTask {
                    try await BenchHTTPConnection(host: "127.0.0.1", port: target).run { send in
                        var round = 0
                        var next = ContinuousClock.now
                        while ContinuousClock.now - started < .seconds(seconds) {
                            let now = EpochMillis.now()
                            var csv = "device,at,pm25\n"
                            for index in 0..<batch {
                                let device = mine[(round * batch + index) % mine.count]
                                let high = ((round * batch + index) / mine.count) % 2 == 0
                                csv += "\(BenchIngest.code(device)),\(now + Int64(index % 1000)),\(high ? 300 : 0)\n"
                            }
                            round += 1
                            let (status, _) = try await send(
                                "/api/v1/telemetry", [("Content-Type", "text/csv"), ("X-API-Key", key)],
                                ByteBuffer(string: csv))
                            totals.add(ok: status == 200, batch)
                            guard perSecond != nil else { continue }
                            next = next.advanced(by: .milliseconds(100))
                            try await Task.sleep(until: next)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = (ContinuousClock.now - started).seconds
        let (readings, failed) = totals.value
        return (readings, failed, elapsed)
    }

    final class Totals: Sendable {
        private let counts = Mutex((readings: 0, failed: 0))
        func add(ok: Bool, _ readings: Int) {
            counts.withLock { if ok { $0.readings += readings } else { $0.failed += 1 } }
        }
        var value: (Int, Int) { counts.withLock { ($0.readings, $0.failed) } }
    }

    /// A live subscriber of one node: the alarm events it gets and how long after their change.
    final class Watch: Sendable {
        let platform: Platform
        private let seen = Mutex<(seqs: Set<Int64>, latency: Latencies)>(([], Latencies()))
        private let task = Mutex<Task<Void, Never>?>(nil)

        init(_ platform: Platform) { self.platform = platform }

        func start() async throws {
            let events = try await platform.monitoring.events.subscribe(scopePath: "/")
            task.withLock {
                $0 = Task { [self] in
                    for await item in events {
                        guard case .alarm(let alarm) = item.event else { continue }
                        record(item.seq, ms: Double(EpochMillis.now() - alarm.updatedAt))
                    }
                }
            }
        }

        private func record(_ seq: Int64, ms: Double) {
            seen.withLock {
                $0.seqs.insert(seq)
                $0.latency.record(milliseconds: max(0, ms))
            }
        }

        func stop() -> (Set<Int64>, Latencies) {
            task.withLock { $0?.cancel() }
            return seen.withLock { ($0.seqs, $0.latency) }
        }
    }
}
