import ArgumentParser
import ChengyunCore
import ChengyunServer
import ChengyunStore
import Foundation
import NIOCore
import ServiceLifecycle
import Synchronization

/// Telemetry ingest over HTTP on the embedded SQLite default: 10,000 environment devices with
/// their default rules active, readings posted as CSV by a separate client process (this
/// binary's `ingest-client`) over `--connections` connections, each reading stamped with the
/// moment it is sent. Alarm latency: from that stamp to the alarm being published to live
/// subscribers. Baseline: the same number of reading rows bulk inserted into the same table by
/// raw SQLite in the same run.
struct BenchIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Telemetry readings per second over HTTP, with a raw SQLite baseline.")

    @Option var devices = 10_000
    @Option var seconds = 20
    @Option var connections = 8
    @Option(help: "CSV lines per request (each line carries 4 values).") var lines = 5000
    @Option var port = 18_182
    @Option(help: "Run on this PostgreSQL server (postgres://…) instead of embedded SQLite; a schema of its own is made and dropped.")
    var database: String?
    @Option(help: "Fold when this many readings wait (and move up to this many at once); the default is the product's.")
    var foldRows: Int?

    func run() async throws {
        let scratch = BenchDatabase(postgres: database)
        defer { scratch.remove() }
        let pool = try await scratch.open()
        var settings = scratch.settings
        if let foldRows {
            settings.telemetry.foldRows = foldRows
            settings.telemetry.foldWindowRows = max(settings.telemetry.foldWindowRows, foldRows)
        }
        let platform = Platform(pool: pool, settings: settings)
        _ = try await BenchCity.make(platform)
        guard let city = try await platform.organisation.listAreas(level: .city, parentId: nil, page: PageRequest(limit: 1), by: .system).items.first else {
            throw ValidationError("the bench city has no city area")
        }
        print("registering \(devices) environment devices…")
        for index in 0..<devices {
            _ = try await platform.devices.register(NewDevice(code: Self.code(index), kindCode: "environment", name: "站\(index)",
                                                              lon: 120.5 + Double(index % 100) * 0.001, lat: 31.2 + Double(index / 100) * 0.001,
                                                              areaId: city.id), by: .system)
        }
        let key = try await platform.people.createAPIKey(NewAPIKey(name: "bench gateway", scopes: [.telemetryWrite], areaId: city.id), by: .system)
        let rules = try await platform.alarmRules.list(kindCode: "environment").filter(\.enabled).count

        // Alarm latency, measured where alarms are published.
        let latencies = Mutex<[(at: Int64, ms: Double)]>([])
        let events = platform.monitoring.events.subscribe(scopePath: "/")
        let listener = Task {
            for await event in events {
                guard case .alarm(let alarm) = event, alarm.state == .raised, alarm.clearedAt == nil else { continue }
                let now = EpochMillis.now()
                latencies.withLock { $0.append((now, Double(now - alarm.raisedAt))) }
            }
        }

        var config = AppConfig()
        config.port = port
        let app = buildApplication(config, platform: platform, logger: scratch.logger)
        // Stopped the way a deployment stops it (SIGTERM): services in reverse order, a fold in
        // progress finished before the database closes.
        let group = ServiceGroup(configuration: .init(services: [app], logger: scratch.logger))
        let server = Task { try await group.run() }
        try await Task.sleep(for: .seconds(1))

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
        print("posting for \(seconds) s from a client process: \(connections) connections, \(lines) lines × 4 values a request…")
        let output = try BenchCases.shell([CommandLine.arguments[0], "bench", "ingest-client", "--url", "http://127.0.0.1:\(port)",
                                           "--key", key.secret, "--devices", "\(devices)", "--seconds", "\(seconds)",
                                           "--connections", "\(connections)", "--lines", "\(lines)"])
        let client = try JSONSerialization.jsonObject(with: Data(output.split(separator: "\n").last.map(String.init)?.utf8 ?? "{}".utf8)) as? [String: Any] ?? [:]
        let stored = try await platform.telemetry.storedReadings()
        let alarmRows = try await pool.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM alarms").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        listener.cancel()
        walSampler.cancel()
        let walAtEnd = walPath.map(Self.fileSize) ?? 0
        await group.triggerGracefulShutdown()
        _ = await server.result
        let walFigures = walPath == nil ? "" : #""wal_largest_mb":\#(walLargest.withLock { $0 } >> 20),"wal_end_mb":\#(walAtEnd >> 20),"#
        let accepted = client["accepted"] as? Int ?? 0
        let elapsed = client["seconds"] as? Double ?? Double(seconds)
        let rate = Double(accepted) / elapsed
        let published = latencies.withLock { $0 }
        let sorted = published.map(\.ms).sorted()
        func percentile(_ share: Double) -> Double { Self.percentile(share, of: sorted) }
        let p99 = percentile(0.99)
        print(output)
        print("readings stored: \(stored.all), \(stored.recent) of them not folded yet (client counted \(accepted) accepted); alarms: \(alarmRows) rows, \(sorted.count) raised and published; rules per device: \(rules)")
        print("alarm p50 \(percentile(0.5)) ms, p99 \(p99) ms; p99 by 30 s of the run: \(Self.p99BySpan(published, spanMillis: 30_000))")

        let baselineRows = max(accepted, lines * 4 * 20)
        let baseline = database == nil
            ? try RawReadingsBaseline.run(directory: scratch.directory + "/baseline", rows: baselineRows, series: devices * 4, batch: lines * 4)
            : try await postgresBaseline(scratch, rows: baselineRows)
        // The time-ordered table alone (where live readings land before the fold), for comparison.
        let recentBaseline = database == nil
            ? try RawReadingsBaseline.run(directory: scratch.directory + "/baseline", rows: baselineRows, series: devices * 4, batch: lines * 4,
                                          timeOrdered: true)
            : nil
        let recentFigures = recentBaseline.map { #""baseline_recent_per_s":\#(Int($0)),"ratio_recent":\#(String(format: "%.2f", rate / $0)),"# } ?? ""
        print(#"{"bench":"ingest","readings_per_s":\#(Int(rate)),"baseline_per_s":\#(Int(baseline)),"ratio":\#(String(format: "%.2f", rate / baseline)),\#(recentFigures)\#(walFigures)"unfolded":\#(stored.recent),"alarm_p99_ms":\#(String(format: "%.1f", p99)),"alarm_p50_ms":\#(String(format: "%.1f", percentile(0.5))),"devices":\#(devices),"backend":"\#(scratch.backend)","connections":\#(connections),"failed_requests":\#(client["failed"] as? Int ?? -1)}"#)
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// On a fresh pool: the server's own closed with it.
    private func postgresBaseline(_ scratch: BenchDatabase, rows: Int) async throws -> Double {
        let pool = try await scratch.open()
        do {
            let rate = try await RawReadingsBaseline.run(pool: pool, rows: rows, series: devices * 4, batch: lines * 4)
            await pool.close()
            await scratch.dropSchema()
            return rate
        } catch {
            await pool.close()
            await scratch.dropSchema()
            throw error
        }
    }

    /// Alarm latency's p99 over each span of the run, in order (where a long run's slow alarms fall).
    static func p99BySpan(_ published: [(at: Int64, ms: Double)], spanMillis: Int64) -> [Int] {
        guard let first = published.map(\.at).min() else { return [] }
        let spans = Dictionary(grouping: published) { ($0.at - first) / spanMillis }
        return spans.keys.sorted().map { key in
            Int(percentile(0.99, of: spans[key]!.map(\.ms).sorted()))
        }
    }

    /// The value `share` of the way up sorted values (0 when there are none).
    static func percentile(_ share: Double, of sorted: [Double]) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * share))]
    }

    static func code(_ index: Int) -> String { "ENV-" + String(100_000 + index).dropFirst() }
}

/// The load generator `bench ingest` starts in its own process: keeps `--connections` POSTs in
/// flight, each a CSV of `--lines` devices stamped with the time it is built.
struct BenchIngestClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest-client", abstract: "Load generator for bench ingest (run by it).",
                                                    shouldDisplay: false)
    @Option var url: String
    @Option var key: String
    @Option var devices = 10_000
    @Option var seconds = 20
    @Option var connections = 4
    @Option var lines = 5000

    func run() async throws {
        guard let parsed = URL(string: url), let host = parsed.host, let port = parsed.port else { throw ValidationError("bad --url") }
        let codes = (0..<devices).map { Array((BenchIngest.code($0) + ",").utf8) }
        let header = Array("device,at,pm25,pm10,no2,o3\n".utf8)
        let deadline = ContinuousClock.now + .seconds(seconds)
        let start = ContinuousClock.now
        let counters = LoadCounters()
        let (lines, key, connections) = (self.lines, self.key, self.connections)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in 0..<connections {
                group.addTask { [counters] in
                    try await BenchHTTPConnection(host: host, port: port).run { post in
                        var round = connection
                        var body = ByteBuffer()
                        while ContinuousClock.now < deadline {
                            // Each request: the next `lines` devices, all at one fresh millisecond.
                            let stamp = counters.lastStamp.withLock { last in
                                let now = max(EpochMillis.now(), last + 1)
                                last = now
                                return now
                            }
                            let stampBytes = Array("\(stamp),".utf8)
                            body.clear()
                            body.writeBytes(header)
                            for line in 0..<lines {
                                let device = (round * lines + line) % codes.count
                                body.writeBytes(codes[device])
                                body.writeBytes(stampBytes)
                                // Mostly clean air; one device in 400 spikes each round (an alarm) and recovers.
                                let spike = (device + round) % 400 == 0
                                let pm25 = spike ? 160 + device % 40 : 20 + (device * 7 + round * 13) % 45
                                body.writeString("\(pm25),\(pm25 + 30),\(30 + device % 20),\(60 + round % 30)\n")
                            }
                            let (status, answer) = try await post("/api/v1/telemetry", [("Content-Type", "text/csv"), ("X-API-Key", key)], body)
                            let accepted = status == 200
                                ? ((try? JSONSerialization.jsonObject(with: Data(answer.readableBytesView))) as? [String: Any])?["accepted"] as? Int ?? 0 : 0
                            counters.totals.withLock { $0 = ($0.accepted + accepted, $0.requests + 1, $0.failed + (status == 200 ? 0 : 1)) }
                            round += connections
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let t = counters.totals.withLock { $0 }
        print(#"{"accepted":\#(t.accepted),"requests":\#(t.requests),"failed":\#(t.failed),"seconds":\#(seconds)}"#)
    }
}

/// Shared by the client's connections.
final class LoadCounters: Sendable {
    let lastStamp = Mutex<Int64>(0)
    let totals = Mutex<(accepted: Int, requests: Int, failed: Int)>((0, 0, 0))
}
