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
    @OptionGroup var target: BenchTarget

    func run() async throws { print(try await measure().json) }

    func measure() async throws -> BenchResult {
        let (scratch, nodes, database) = (target.scratch, target.nodes, target.database)
        defer { scratch.remove() }
        let pool = try await scratch.open()
        var settings = scratch.settings
        if let foldRows {
            settings.telemetry.foldRows = foldRows
            settings.telemetry.foldWindowRows = max(settings.telemetry.foldWindowRows, foldRows)
        }
        let platform = Platform(pool: pool, settings: settings)
        let city = try await Self.environmentCity(platform, devices: devices)
        let key = try await platform.people.createAPIKey(
            NewAPIKey(name: "bench gateway", scopes: [.telemetryWrite], areaId: city.id), by: .system)
        let rules = try await platform.alarmRules.list(kindCode: "environment").filter(\.enabled).count

        // Alarm latency, measured where alarms are published.
        // Each alarm once, at its first event: a batch that raises and clears an alarm (a node judging
        // lines queued for its shards can hold two readings of a device) sends the cleared alarm only.
        let latencies = Mutex<(all: [(at: Int64, ms: Double)], histogram: Latencies, seq: Int64, seen: Set<String>)>(
            ([], Latencies(), 0, []))
        let events = try await platform.monitoring.events.subscribe(scopePath: "/")
        let listener = Task {
            for await item in events {
                guard case .alarm(let alarm) = item.event else { continue }
                let now = EpochMillis.now()
                latencies.withLock {
                    $0.seq = max($0.seq, item.seq)
                    guard $0.seen.insert(alarm.id).inserted else { return }
                    $0.all.append((now, Double(now - alarm.raisedAt)))
                    $0.histogram.record(milliseconds: Double(now - alarm.raisedAt))
                }
            }
        }

        // Alarms raised on any node reach this platform's subscribers (through the event outbox).
        let served = try await BenchNodes.start(
            first: platform, count: nodes, scratch: scratch, settings: settings, port: port)

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
        print(
            "posting for \(seconds) s from a client process: \(connections) connections, \(lines) lines × 4 values a request"
                + (nodes > 1 ? ", spread over \(nodes) nodes…" : "…")
        )
        let output = try BenchCases.shell(
            [CommandLine.arguments[0], "bench", "ingest-client"] + served.urls.flatMap { ["--url", $0] } + [
                "--key", key.secret, "--devices", "\(devices)", "--seconds", "\(seconds)",
                "--connections", "\(connections)", "--lines", "\(lines)",
            ])
        guard let line = output.split(separator: "\n").last,
            let client = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let accepted = client["accepted"] as? Int, let posting = client["seconds"] as? Double,
            let failedRequests = client["failed"] as? Int
        else {
            throw BenchFailure("ingest: the client's figures could not be read from its output:\n\(output)")
        }
        guard accepted > 0 else {
            throw BenchFailure("ingest: the server accepted no readings (\(failedRequests) requests failed)")
        }
        // Lines a node queued for its devices' shard owners count once judged and stored.
        let inboxDrain = nodes > 1 ? try await served.drainInbox() : 0
        let elapsed = posting + inboxDrain
        let stored = try await platform.telemetry.storedReadings()
        // The backlog the run left in the landing table, folded now: the rate counts it.
        let drainStart = ContinuousClock.now
        try await platform.telemetry.foldReadings(upTo: EpochMillis.now() + 1)
        let drain = (ContinuousClock.now - drainStart).seconds
        let drained = try await platform.telemetry.storedReadings()
        let alarmRows = try await pool.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM alarms").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        if nodes > 1 {
            // Alarms the other nodes raised reach this node's streams through the outbox: wait for the last.
            let last = try await pool.read { db in
                try await db.raw("SELECT COALESCE(MAX(seq), 0) AS n FROM event_outbox WHERE name = 'alarm'").first()?
                    .decode(column: "n", as: Int64.self) ?? 0
            }
            let waiting = ContinuousClock.now
            while latencies.withLock({ $0.seq }) < last, ContinuousClock.now - waiting < .seconds(10) {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        listener.cancel()
        walSampler.cancel()
        let walAtEnd = walPath.map(Self.fileSize) ?? 0
        // Stopped the way a deployment stops it (SIGTERM): a fold in progress finishes first.
        await served.stop()
        if database != nil { await scratch.dropSchema() }
        let (published, histogram) = latencies.withLock { ($0.all, $0.histogram) }
        print(output)
        print(
            "readings stored: \(stored.all), \(stored.recent) of them not folded when the client stopped, folded in \(String(format: "%.1f", drain)) s "
                + "(\(drained.recent) left); client counted \(accepted) accepted; alarms: \(alarmRows) rows, \(published.count) of them published; rules per device: \(rules)"
        )
        print("alarm p99 by 30 s of the run: \(Self.p99BySpan(published, spanMillis: 30_000))")
        guard drained.all == accepted else {
            throw BenchFailure("ingest: \(accepted) readings accepted but \(drained.all) stored")
        }

        let shape = RawReadingsBaseline.Shape(
            series: devices * 4, batch: lines * 4, foldRows: settings.telemetry.foldRows,
            windowRows: max(settings.telemetry.foldWindowRows, lines * 4), sliceRows: settings.telemetry.foldSliceRows)
        var figures: [String: Any] = [
            "readings_per_s": Int(Double(accepted) / elapsed),
            "readings_per_s_folded": Int(Double(accepted) / (elapsed + drain)),
            "unfolded": stored.recent, "drain_s": BenchResult.rounded(drain, 1), "devices": devices,
            "backend": scratch.backend, "nodes": nodes, "inbox_drain_s": BenchResult.rounded(inboxDrain, 1),
            "connections": connections, "failed_requests": failedRequests, "seconds": BenchResult.rounded(elapsed, 1),
        ].merging(try histogram.figures("alarm")) { a, _ in a }
        if walPath != nil {
            figures["wal_largest_mb"] = Int(walLargest.withLock { $0 } >> 20)
            figures["wal_end_mb"] = Int(walAtEnd >> 20)
        }
        let folded = Double(accepted) / (elapsed + drain)
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

    /// A baseline's rate (landed and folded), its backlog at the clock and the ratio to the platform's.
    static func baselineFigures(_ figures: RawReadingsBaseline.Figures, platform: Double, prefix: String) -> [String:
        Any]
    {
        [
            "\(prefix)_per_s": Int(figures.perSecond), "\(prefix)_unfolded": figures.unfolded,
            "\(prefix)_drain_s": BenchResult.rounded(figures.drainSeconds, 1),
            "\(prefix)_rows": figures.rows,
            prefix == "baseline" ? "ratio" : "\(prefix)_ratio": BenchResult.rounded(platform / figures.perSecond),
        ]
    }

    /// On a fresh schema of its own, dropped afterwards.
    private func postgresBaseline(
        _ database: String, seconds: Double, shape: RawReadingsBaseline.Shape,
        landing: RawReadingsBaseline.Landing
    ) async throws -> RawReadingsBaseline.Figures {
        let scratch = BenchDatabase(postgres: database)
        let pool = try await scratch.open()
        do {
            let figures = try await RawReadingsBaseline.run(
                pool: pool, seconds: seconds, shape: shape, landing: landing)
            await pool.close()
            await scratch.dropSchema()
            return figures
        } catch {
            await pool.close()
            await scratch.dropSchema()
            throw error
        }
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Alarm latency's p99 over each span of the run, in order (where a long run's slow alarms fall).
    static func p99BySpan(_ published: [(at: Int64, ms: Double)], spanMillis: Int64) -> [Int] {
        guard let first = published.map(\.at).min() else { return [] }
        let spans = Dictionary(grouping: published) { ($0.at - first) / spanMillis }
        return spans.keys.sorted().map { key in
            var span = Latencies()
            for sample in spans[key]! { span.record(milliseconds: sample.ms) }
            return Int(span.milliseconds(at: 99))
        }
    }

    /// The bench city with `devices` environment devices (codes `code(i)`) over a 100-wide grid;
    /// returns the city area.
    static func environmentCity(_ platform: Platform, devices: Int) async throws -> Area {
        try await environmentCityWithStaff(platform, devices: devices).city
    }

    /// The bench city with `devices` environment devices, and its staff.
    static func environmentCityWithStaff(_ platform: Platform, devices: Int) async throws
        -> (city: Area, staff: BenchCity.Setup)
    {
        let staff = try await BenchCity.make(platform)
        guard
            let city = try await platform.organisation.listAreas(
                level: .city, parentId: nil, page: PageRequest(limit: 1), by: .system
            ).items.first
        else {
            throw ValidationError("the bench city has no city area")
        }
        print("registering \(devices) environment devices…")
        for index in 0..<devices {
            _ = try await platform.devices.register(
                NewDevice(
                    code: code(index), kindCode: "environment", name: "站\(index)",
                    lon: 120.5 + Double(index % 100) * 0.001, lat: 31.2 + Double(index / 100) * 0.001,
                    areaId: city.id), by: .system)
        }
        return (city, staff)
    }

    static func code(_ index: Int) -> String { "ENV-" + String(100_000 + index).dropFirst() }
}
