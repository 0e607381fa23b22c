import ArgumentParser
import ChengyunCore
import ChengyunServer
import ChengyunStore
import Foundation
import ServiceLifecycle
import Synchronization

/// Where a bench runs (issue 24): `--database postgres://…` for a PostgreSQL server instead of the
/// embedded default (in a schema of the run's own, dropped after), and `--nodes N` for N nodes on
/// that one database (`BenchNodes`), the bench's load spread over them.
struct BenchTarget: ParsableArguments {
    @Option(
        help:
            "Run on this PostgreSQL server (postgres://…) instead of the embedded SQLite default; a schema of its own is made and dropped."
    )
    var database: String?
    @Option(
        help:
            "Nodes on the one PostgreSQL database (needs --database), each its own pool and memory; the load spread over them."
    )
    var nodes = 1

    func validate() throws { try BenchNodes.check(nodes, database: database) }

    var scratch: BenchDatabase { BenchDatabase(postgres: database) }

    /// For a bench that runs on PostgreSQL only (`what` it runs, for the message).
    func requirePostgres(_ what: String) throws {
        guard database != nil else { throw ValidationError("\(what): give --database postgres://…") }
    }
}

/// `--nodes N`: N nodes on one database in this one process, each its own pool, platform and
/// memory. Served (`cases`, `ingest`, `cluster`), each node is a whole server as a city deployment
/// runs them behind its proxy — its own loopback port, lease, relay and background services; not
/// served, the bench asks the nodes' services in this process. The first node's platform is the
/// bench's own (its city set up before the others start); the others open pools of their own.
struct BenchNodes {
    let platforms: [Platform]
    let ports: [Int]
    private let groups: [(ServiceGroup, Task<Void, any Error>)]
    /// Nodes whose server stopped (a port in use, say) since it was started.
    private let stopped: StoppedNodes

    /// Several nodes share one PostgreSQL database; the embedded SQLite file has one server process.
    static func check(_ nodes: Int, database: String?) throws {
        guard nodes >= 1 else { throw ValidationError("--nodes: at least 1") }
        guard nodes == 1 || database != nil else {
            throw ValidationError(
                "--nodes \(nodes): several nodes share one PostgreSQL database; give --database postgres://…")
        }
    }

    /// Serves `first` on `port` and `count - 1` more nodes on the ports after it, then waits until
    /// a node leads and the rule shards are shared out. Without a port the nodes are not served:
    /// their services are asked in this process (on the first node's clock). On failure whatever
    /// was started is stopped again.
    static func start(
        first: Platform, count: Int, scratch: BenchDatabase, settings: PlatformSettings, port: Int?
    ) async throws -> BenchNodes {
        try check(count, database: scratch.postgres)
        var platforms = [first]
        do {
            for _ in 1..<max(1, count) {
                platforms.append(Platform(pool: try await scratch.open(), settings: settings, now: first.now))
            }
        } catch {
            for platform in platforms.dropFirst() { await platform.pool.close() }
            throw error
        }
        let stopped = StoppedNodes()
        guard let port else { return BenchNodes(platforms: platforms, ports: [], groups: [], stopped: stopped) }
        var groups: [(ServiceGroup, Task<Void, any Error>)] = []
        for (index, platform) in platforms.enumerated() {
            var config = AppConfig()
            config.port = port + index
            let group = ServiceGroup(
                configuration: .init(
                    services: [buildApplication(config, platform: platform, logger: scratch.logger)],
                    logger: scratch.logger))
            groups.append(
                (
                    group,
                    Task {
                        defer { stopped.add(index) }
                        try await group.run()
                    }
                ))
        }
        let nodes = BenchNodes(
            platforms: platforms, ports: platforms.indices.map { port + $0 }, groups: groups, stopped: stopped)
        do {
            try await nodes.settle()
        } catch {
            await nodes.stop()
            throw error
        }
        return nodes
    }

    /// Waits until every node serves, one leads and, with several, each has taken exactly the rule
    /// shards the rendezvous hash gives it among them all (a handover is not what a bench
    /// measures; a shard taken is judged from the node's next monitoring turn, its memory loaded).
    private func settle() async throws {
        let started = ContinuousClock.now
        try await Task.sleep(for: .seconds(1))
        while true {
            if let node = stopped.first {
                throw BenchFailure("node \(node) stopped as it started (is port \(ports[node]) in use?)")
            }
            let ids = platforms.map(\.shards.nodeId)
            let shared =
                count == 1
                || platforms.allSatisfy { node in
                    node.shards.claimed
                        == (0..<RuleShards.count).filter { RuleShards.owner(of: $0, among: ids) == node.shards.nodeId }
                }
            if leader != nil && shared { return }
            guard ContinuousClock.now - started < .seconds(30) else {
                let claimed = platforms.map(\.shards.claimed.count)
                throw BenchFailure(
                    "\(count) nodes not settled after 30 s: \(leader == nil ? "none leads" : "shards taken \(claimed)")"
                )
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    var count: Int { platforms.count }

    /// Runs `body` on every node at once; the answers in the nodes' order.
    func onEvery<T: Sendable>(_ body: @escaping @Sendable (Int, Platform) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for (index, platform) in platforms.enumerated() {
                group.addTask { (index, try await body(index, platform)) }
            }
            var answers: [(Int, T)] = []
            for try await answer in group { answers.append(answer) }
            return answers.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The node that holds the lead (runs the singleton work: the fold, the sweeps), if one does.
    var leader: Int? { platforms.firstIndex(where: \.cluster.isLeader) }
    var urls: [String] { ports.map { "http://127.0.0.1:\($0)" } }

    /// Waits until the telemetry a node queued for its devices' shard owners has been judged and
    /// stored (an acknowledged reading is durable there at once; it is counted once stored), and
    /// says how long that took.
    func drainInbox(limit: Duration = .seconds(120)) async throws -> Double {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < limit,
            try await platforms[0].pool.read({ db in
                try await db.raw("SELECT COUNT(*) AS n FROM telemetry_inbox").first()?.decode(column: "n", as: Int.self)
                    ?? 0
            }) > 0
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        return (ContinuousClock.now - started).seconds
    }

    /// Stopped the way a deployment stops them (SIGTERM), last started first: the lead handed back
    /// and each listener stopped before its pool closes. The pools of the nodes this started are
    /// closed; the first node's is the caller's to close (a served node's server may have closed it
    /// already, which closing again allows).
    func stop() async {
        for (group, task) in groups.reversed() {
            await group.triggerGracefulShutdown()
            _ = await task.result
        }
        for platform in platforms.dropFirst() { await platform.pool.close() }
    }

    /// Runs `body` on nodes started as `start` starts them, and stops them however it ends.
    static func with<T>(
        first: Platform, count: Int, scratch: BenchDatabase, settings: PlatformSettings, port: Int?,
        _ body: (BenchNodes) async throws -> T
    ) async throws -> T {
        let nodes = try await start(first: first, count: count, scratch: scratch, settings: settings, port: port)
        do {
            let value = try await body(nodes)
            await nodes.stop()
            return value
        } catch {
            await nodes.stop()
            throw error
        }
    }
}

/// The nodes whose server task has ended, in the order they ended.
private final class StoppedNodes: Sendable {
    private let nodes = Mutex<[Int]>([])
    func add(_ node: Int) { nodes.withLock { $0.append(node) } }
    var first: Int? { nodes.withLock { $0.first } }
}
