import ArgumentParser
import ChengyunCore
import ChengyunServer
import ChengyunStore
import Foundation
import ServiceLifecycle

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
}

/// `--nodes N`: N whole servers on one database, run in this one process as a city deployment
/// runs them behind its proxy — each its own pool, platform, memory, relay, lease and loopback
/// port, all with their background services. The first node's platform is the bench's own (its
/// city set up before the others start); the others open pools of their own on the same schema.
struct BenchNodes {
    let platforms: [Platform]
    let ports: [Int]
    private let groups: [(ServiceGroup, Task<Void, any Error>)]

    /// Several nodes share one PostgreSQL database; the embedded SQLite file has one server process.
    static func check(_ nodes: Int, database: String?) throws {
        guard nodes >= 1 else { throw ValidationError("--nodes: at least 1") }
        guard nodes == 1 || database != nil else {
            throw ValidationError(
                "--nodes \(nodes): several nodes share one PostgreSQL database; give --database postgres://…")
        }
    }

    /// Serves `first` on `port` and `count - 1` more nodes on the ports after it, then waits until
    /// a node leads (one does within a lease's first round). Without a port the nodes are not
    /// served: their services are asked in this process (on the first node's clock).
    static func start(
        first: Platform, count: Int, scratch: BenchDatabase, settings: PlatformSettings, port: Int?
    ) async throws -> BenchNodes {
        try check(count, database: scratch.postgres)
        var platforms = [first]
        for _ in 1..<max(1, count) {
            platforms.append(Platform(pool: try await scratch.open(), settings: settings, now: first.now))
        }
        guard let port else { return BenchNodes(platforms: platforms, ports: [], groups: []) }
        var groups: [(ServiceGroup, Task<Void, any Error>)] = []
        for (index, platform) in platforms.enumerated() {
            var config = AppConfig()
            config.port = port + index
            let group = ServiceGroup(
                configuration: .init(
                    services: [buildApplication(config, platform: platform, logger: scratch.logger)],
                    logger: scratch.logger))
            groups.append((group, Task { try await group.run() }))
        }
        let nodes = BenchNodes(platforms: platforms, ports: platforms.indices.map { port + $0 }, groups: groups)
        let started = ContinuousClock.now
        try await Task.sleep(for: .seconds(1))
        while nodes.leader == nil {
            guard ContinuousClock.now - started < .seconds(15) else {
                await nodes.stop()
                throw BenchFailure("no node of \(count) leads after 15 seconds")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nodes
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
    /// and each listener stopped before its pool closes. The pools this opened are closed; the
    /// first node's stays the caller's.
    func stop() async {
        for (group, task) in groups.reversed() {
            await group.triggerGracefulShutdown()
            _ = await task.result
        }
        for platform in platforms.dropFirst() { await platform.pool.close() }
    }
}
