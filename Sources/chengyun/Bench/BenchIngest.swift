import ArgumentParser
import ChengyunCore
import ChengyunServer
import ChengyunStore
import Foundation
import NIOCore
import Synchronization

/// Telemetry ingest over HTTP on the embedded SQLite default: 10,000 environment devices with
/// their default rules active, readings posted as CSV by a separate client process (this
/// binary's `ingest-client`) over `--connections` connections, each reading stamped with the
/// moment it is sent. Alarm latency: from that stamp to the alarm being published to live
/// subscribers. When the client stops, the readings still waiting for the fold are folded and
/// the rate counts that time too. Baseline: `RawReadingsBaseline` — the same rows appended to
/// the same landing table and folded into the same history table by hand, same pragmas and
/// checkpointer, for the same wall time, its backlog folded likewise. With `--nodes N` (on
/// PostgreSQL) N servers share the database and the client's connections take them in turn; alarm
/// latency is taken on the first node's live streams, which alarms raised on the others reach
/// through the event outbox.
struct BenchIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Telemetry readings per second over HTTP, with a raw SQLite baseline.")

    @Option var devices = 10_000
    @Option var seconds = 20
    @Option var connections = 8
    @Option(help: "CSV lines per request (each line carries 4 values).") var lines = 5000
    @Option var port = 18_182
    @Option(help: "Fold when this many readings wait (and move up to this many at once); the default is the product's.")
    var foldRows: Int?
    @Option(
        help:
            "Send every Nth request of each connection twice, as a gateway that lost the answer would: its second sending's readings are all repeats (0: none)."
    )
    var resendEvery = 0
    @OptionGroup var target: BenchTarget

    func run() async throws { print(try await measure().json) }

    func measure() async throws -> BenchResult {
        guard devices >= target.nodes else { throw ValidationError("--devices: at least one a node") }
        // A node answers lines it queues for another node's shards as accepted (`forwarded`);
        // repeats among them are found, and skipped, by their owner, after the answer.
        guard resendEvery == 0 || target.nodes == 1 else {
            throw ValidationError(
                "--resend-every: one node only (a node counts the lines it queues for another node accepted)")
        }
        let (scratch, database) = (target.scratch, target.database)
        defer { scratch.remove() }
        var settings = scratch.settings
        if let foldRows {
            settings.telemetry.foldRows = foldRows
            settings.telemetry.foldWindowRows = max(settings.telemetry.foldWindowRows, foldRows)
        }
        let pool = try await scratch.open()
        // The run's pool closed and its schema dropped before the baselines, however the run ends.
        let run = try await scratch.closing(pool) { try await serve(pool, settings: settings, scratch) }
        print(run.output)
        print(
            "readings stored: \(run.stored.all), \(run.stored.recent) of them not folded when the client stopped, folded in \(String(format: "%.1f", run.drain)) s "
                + "(\(run.drained.recent) left); client counted \(run.accepted) accepted; alarms: \(run.alarmRows) rows, \(run.published.count) of them published; rules per device: \(run.rules)"
        )
        print("alarm p99 by 30 s of the run: \(Self.p99BySpan(run.published, spanMillis: 30_000))")
        guard run.drained.all == run.accepted else {
            throw BenchFailure("ingest: \(run.accepted) readings accepted but \(run.drained.all) stored")
        }
        let (elapsed, drain) = (run.elapsed, run.drain)
        // The client's lines a request: a node's devices once each at most (BenchIngestClient).
        let perRequest = min(lines, (devices + target.nodes - 1) / target.nodes)
        let shape = RawReadingsBaseline.Shape(
            series: devices * 4, batch: perRequest * 4, foldRows: settings.telemetry.foldRows,
            windowRows: max(settings.telemetry.foldWindowRows, perRequest * 4),
            sliceRows: settings.telemetry.foldSliceRows)
        var figures: [String: Any] = [
            "readings_per_s": Int(Double(run.accepted) / elapsed),
            "readings_per_s_folded": Int(Double(run.accepted) / (elapsed + drain)),
            "unfolded": run.stored.recent, "drain_s": BenchResult.rounded(drain, 1), "devices": devices,
            "backend": scratch.backend, "nodes": target.nodes, "inbox_drain_s": BenchResult.rounded(run.inboxDrain, 1),
            "connections": connections, "failed_requests": run.failedRequests,
            "seconds": BenchResult.rounded(elapsed, 1),
            "alarms": run.alarmRows, "alarms_unpublished": run.alarmRows - run.published.count,
            "lines_per_request": perRequest, "resend_every": resendEvery, "repeats": run.repeats,
        ].merging(try run.histogram.figures("alarm")) { a, _ in a }
        figures.merge(Self.foldFigures(run.foldRun, prefix: "fold")) { a, _ in a }
        figures.merge(Self.foldFigures(run.foldDrain, prefix: "drain")) { a, _ in a }
        // Little's law: a client keeping this many readings in flight at this rate holds each one
        // this long on average — a closed loop's latency, the alarm's included, however it is spent
        // (`post` has refused a run with nothing accepted).
        let inFlight = connections * perRequest * 4
        figures["in_flight_readings"] = inFlight
        figures["in_flight_ms"] = BenchResult.rounded(Double(inFlight) * elapsed / Double(run.accepted) * 1000, 1)
        if let wal = run.wal {
            figures["wal_largest_mb"] = Int(wal.largest >> 20)
            figures["wal_end_mb"] = Int(wal.end >> 20)
        }
        let folded = Double(run.accepted) / (elapsed + drain)
        let method: String
        if let database {
            let unnest = try await postgresBaseline(database, seconds: elapsed, shape: shape, landing: .unnest)
            let copy = try await postgresBaseline(database, seconds: elapsed, shape: shape, landing: .copy)
            method =
                "by hand on a fresh schema of the platform's tables, one connection: each batch landed in readings_recent by one unnest INSERT "
                + "(baseline) or one COPY (baseline_copy) a transaction, folded a window at a time by INSERT INTO readings … SELECT and DELETE, "
                + "for the same wall time, backlog folded after"
            figures.merge(Self.baselineFigures(unnest, platform: folded, prefix: "baseline")) { a, _ in a }
            figures.merge(Self.baselineFigures(copy, platform: folded, prefix: "baseline_copy")) { a, _ in a }
        } else {
            let fresh = BenchDatabase()
            defer { fresh.remove() }
            await (try fresh.open()).close()
            let raw = try await RawReadingsBaseline.run(
                path: fresh.directory + "/chengyun.sqlite", seconds: elapsed, shape: shape)
            method =
                "by hand on a freshly migrated file (the platform's tables), one thread, same handle, pragmas and checkpointer: each batch "
                + "appended to readings_recent in a transaction, folded the platform's way at the same backlog, for the same wall time, backlog folded after"
            figures.merge(Self.baselineFigures(raw, platform: folded, prefix: "baseline")) { a, _ in a }
        }
        return BenchResult("ingest", baselineMethod: method, figures)
    }

    /// What the served run gave.
    struct Run {
        var output = "", accepted = 0, repeats = 0, failedRequests = 0, rules = 0, alarmRows = 0
        var elapsed = 0.0, inboxDrain = 0.0, drain = 0.0
        var stored = (all: 0, recent: 0), drained = (all: 0, recent: 0)
        var published: [(at: Int64, ms: Double)] = []
        var histogram = Latencies()
        var wal: (largest: Int64, end: Int64)?
        /// The fold's steps (every node's) during the run (the posting and the queues' drain), and
        /// for the backlog after.
        var foldRun = FoldTimes(), foldDrain = FoldTimes()
    }

    /// The city made, the nodes served and posted to from the client process; then the queues
    /// judged, the backlog folded, and the nodes stopped (however the run ends).
    private func serve(_ pool: any DatabasePool, settings: PlatformSettings, _ scratch: BenchDatabase) async throws
        -> Run
    {
        let platform = Platform(pool: pool, settings: settings)
        let city = try await Self.environmentCity(platform, devices: devices)
        let key = try await platform.people.createAPIKey(
            NewAPIKey(name: "bench gateway", scopes: [.telemetryWrite], areaId: city.id), by: .system)
        var run = Run()
        run.rules = try await platform.alarmRules.list(kindCode: "environment").filter(\.enabled).count
        // Alarm latency, measured where alarms are published (alarms raised on any node reach the
        // first node's streams, through the event outbox).
        let watch = AlarmWatch()
        try await watch.start(platform)
        let nodes: BenchNodes
        do {
            nodes = try await BenchNodes.start(
                first: platform, count: target.nodes, scratch: scratch, settings: settings, port: port)
        } catch {
            _ = watch.stop()
            throw error
        }
        // The WAL's size through the run (SQLite): journal_size_limit should keep cutting it back.
        let walPath = (pool as? SQLiteDatabasePool).map { $0.path + "-wal" }
        let walLargest = Mutex<Int64>(0)
        let walSampler = Task {
            while !Task.isCancelled, let walPath {
                let size = Self.fileSize(walPath)
                walLargest.withLock { $0 = max($0, size) }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        do {
            try await post(to: nodes, key: key.secret, into: &run)
            if try await !watch.awaitLast(on: pool) {
                print("ingest: the last alarm event had not reached the streams 10 s after the run")
            }
        } catch {
            walSampler.cancel()
            _ = watch.stop()
            await nodes.stop()
            throw error
        }
        walSampler.cancel()
        run.wal = walPath.map { (walLargest.withLock { $0 }, Self.fileSize($0)) }
        (run.published, run.histogram) = watch.stop()
        // Stopped the way a deployment stops it (SIGTERM): a fold in progress finishes first.
        await nodes.stop()
        return run
    }

    /// The client process's posts, then the queues judged and the backlog folded (the rates count both).
    private func post(to nodes: BenchNodes, key: String, into run: inout Run) async throws {
        print(
            "posting for \(seconds) s from a client process: \(connections) connections, \(lines) lines × 4 values a request"
                + (nodes.count > 1 ? ", each connection to one of \(nodes.count) nodes with its own devices…" : "…")
        )
        run.output = try await BenchCases.shell(
            [CommandLine.arguments[0], "bench", "ingest-client"] + nodes.urls.flatMap { ["--url", $0] } + [
                "--key", key, "--devices", "\(devices)", "--seconds", "\(seconds)",
                "--connections", "\(connections)", "--lines", "\(lines)", "--resend-every", "\(resendEvery)",
            ])
        guard let line = run.output.split(separator: "\n").last,
            let client = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let accepted = client["accepted"] as? Int, let posting = client["seconds"] as? Double,
            let failedRequests = client["failed"] as? Int, let repeats = client["repeats"] as? Int,
            let resent = client["resent"] as? Int
        else {
            throw BenchFailure("ingest: the client's figures could not be read from its output:\n\(run.output)")
        }
        guard accepted > 0 else {
            throw BenchFailure("ingest: the server accepted no readings (\(failedRequests) requests failed)")
        }
        // A request taken twice reports every reading a repeat the second time; a first sending, none.
        guard repeats == resent else {
            throw BenchFailure("ingest: \(resent) readings sent again but \(repeats) reported repeats")
        }
        (run.accepted, run.repeats, run.failedRequests) = (accepted, repeats, failedRequests)
        let platform = nodes.platforms[0]
        // Lines a node queued for its devices' shard owners count once judged and stored.
        run.inboxDrain = nodes.count > 1 ? try await nodes.drainInbox() : 0
        run.elapsed = posting + run.inboxDrain
        let stored = try await platform.telemetry.storedReadings()
        run.stored = (stored.all, stored.recent)
        // The backlog the run left in the landing table, folded now: the rate counts it.
        let drainStart = ContinuousClock.now
        // Every node's folds: the fold job runs on the leader, whichever node that is.
        let foldTimes = { nodes.platforms.map(\.monitoring.foldTimes).reduce(FoldTimes(), +) }
        run.foldRun = foldTimes()
        try await platform.telemetry.foldReadings(upTo: EpochMillis.now() + 1)
        run.drain = (ContinuousClock.now - drainStart).seconds
        run.foldDrain = foldTimes().since(run.foldRun)
        let drained = try await platform.telemetry.storedReadings()
        run.drained = (drained.all, drained.recent)
        run.alarmRows = try await platform.pool.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM alarms").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
