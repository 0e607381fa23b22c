import ArgumentParser
import ChengyunCore
import ChengyunStore
import Foundation
import SQLKit

/// Several cities on one PostgreSQL server (issue 24, part 6; docs/scale.md): each city a schema
/// of its own with its own pool, as a province would first run them. Each city's load runs in
/// this process through the services: a gateway posting telemetry batches (a pollution spike now
/// and then moves an alarm), an inspector reporting cases that a supervisor files, and a leader
/// reading the cockpit — each a loop one request at a time. First one city alone (the same-run
/// baseline), then every city at once: what each city keeps of its lone figures is what the one
/// server's sharing costs. Then the tables that grew, per city. With `--nodes N` each city runs
/// on N whole nodes (served, each with its lease, rule shards and background services), its loops
/// taking them in turn.
struct BenchCities: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cities", abstract: "Many cities' load on one PostgreSQL server, against one city alone.")

    /// `--database` (required here: a schema a city, made and dropped) and `--nodes` a city.
    @OptionGroup var target: BenchTarget
    @Option(help: "The first loopback port of the cities' nodes when there are several a city.") var port = 18_400
    @Option var cities = 10
    @Option(help: "Seconds of load per phase.") var seconds = 15
    @Option(help: "Environment devices per city.") var devices = 500
    @Option(help: "Readings a telemetry batch (one per device, three values each).") var batch = 250

    func validate() throws {
        try target.requirePostgres("bench cities runs on a PostgreSQL server")
        guard cities >= 2 else { throw ValidationError("--cities: at least 2") }
    }

    func run() async throws { print(try await measure().json) }

    /// A city's schema, its first pool and its nodes, to stop and drop however the run ends.
    private struct Opened {
        var scratch: BenchDatabase
        var pool: any DatabasePool
        var nodes: BenchNodes?
    }

    func measure() async throws -> BenchResult {
        try validate()
        var opened: [Opened] = []
        do {
            let result = try await measure(opening: &opened)
            await Self.close(opened)
            return result
        } catch {
            await Self.close(opened)
            throw error
        }
    }

    private static func close(_ opened: [Opened]) async {
        for city in opened {
            await city.nodes?.stop()
            await city.scratch.close(city.pool)
            city.scratch.remove()
        }
    }

    private func measure(opening opened: inout [Opened]) async throws -> BenchResult {
        let nodes = target.nodes
        var towns: [Town] = []
        print("building \(cities) cities (\(devices) devices each, \(nodes) node(s) each) in schemas of their own…")
        for index in 0..<cities {
            let scratch = target.scratch
            let pool = try await scratch.open()
            opened.append(Opened(scratch: scratch, pool: pool))
            var settings = scratch.settings
            // Reports at one corner would merge into one case (docs/domain.md §3): each files its own.
            settings.duplicates.mode = .off
            let platform = Platform(pool: pool, settings: settings)
            let (city, staff) = try await BenchIngest.environmentCityWithStaff(platform, devices: devices)
            let served = try await BenchNodes.start(
                first: platform, count: nodes, scratch: scratch, settings: settings,
                port: nodes > 1 ? port + index * nodes : nil)
            opened[opened.count - 1].nodes = served
            towns.append(
                Town(nodes: served.platforms, setup: staff, cityId: city.id, devices: devices, batch: batch))
        }
        // Readings a node took for another node's rule shards wait in that node's queue: a phase
        // ends once every queue is judged, its readings counted over that time too.
        let served = opened.compactMap(\.nodes)
        let drain: () async throws -> Double = {
            var waited = 0.0
            for city in served where city.count > 1 { waited += try await city.drainInbox() }
            return waited
        }
        print("one city alone for \(seconds) s…")
        let alone = try await Self.load([towns[0]], seconds: seconds, drain: drain)
        print("all \(cities) cities at once for \(seconds) s…")
        let together = try await Self.load(towns, seconds: seconds, drain: drain)
        let sizes = try await Self.tableSizes(towns[0].platform)
        let (total, stored) = try await towns[0].platform.pool.read { db in
            (
                try await db.raw("SELECT pg_database_size(current_database()) AS n").first()?.decode(
                    column: "n", as: Int64.self) ?? 0,
                try await db.raw("SELECT (SELECT count(*) FROM readings_recent) + (SELECT count(*) FROM readings) AS n")
                    .first()?.decode(column: "n", as: Int64.self) ?? 0
            )
        }
        let readingBytes = sizes.filter { $0.name == "readings_recent" || $0.name == "readings" }.map(\.bytes).reduce(
            0, +)
        let perCity = together.readings / Double(cities)
        var figures: [String: Any] = [
            "cities": cities, "nodes": nodes, "devices_per_city": devices, "seconds": seconds,
            "alone_readings_per_s": Int(alone.readings), "alone_case_steps_per_s": BenchResult.rounded(alone.steps, 1),
            "alone_cockpit_reads_per_s": BenchResult.rounded(alone.reads, 1),
            "all_readings_per_s": Int(together.readings),
            "all_case_steps_per_s": BenchResult.rounded(together.steps, 1),
            "all_cockpit_reads_per_s": BenchResult.rounded(together.reads, 1),
            "per_city_share_of_alone_readings": BenchResult.rounded(perCity / alone.readings, 3),
            "alarms_moved": together.alarms + alone.alarms, "errors": together.errors + alone.errors,
            "readings_forwarded": together.forwarded + alone.forwarded,
            "alone_inbox_drain_s": BenchResult.rounded(alone.drain, 2),
            "all_inbox_drain_s": BenchResult.rounded(together.drain, 2),
            "largest_tables_one_city_kb": sizes.prefix(6).map { "\($0.name)=\($0.bytes / 1024)" },
            "database_mb_after": Int(total / 1_048_576),
            "bytes_per_reading_value": stored > 0 ? Int(readingBytes / stored) : 0,
        ]
        for (phase, run) in [("alone", alone), ("all", together)] {
            figures.merge(try run.ingest.figures("\(phase)_ingest")) { a, _ in a }
            figures.merge(try run.cases.figures("\(phase)_case_step")) { a, _ in a }
            figures.merge(try run.cockpit.figures("\(phase)_cockpit")) { a, _ in a }
        }
        return BenchResult(
            "cities",
            baselineMethod:
                "one city alone on the same server, same loops, same run: what each of \(cities) cities keeps of it when all run at once",
            figures)
    }

    /// One city's nodes and what its loops need.
    struct Town: Sendable {
        var nodes: [Platform]
        /// The city's first node, where it was built.
        var platform: Platform { nodes[0] }
        /// The node a loop's `round` goes to: each in turn.
        func node(_ round: Int) -> Platform { nodes[round % nodes.count] }
        var setup: BenchCity.Setup
        var cityId: String
        var devices: Int
        var batch: Int
    }

    struct Run {
        var ingest = Latencies(), cases = Latencies(), cockpit = Latencies()
        var readings = 0.0, steps = 0.0, reads = 0.0
        /// Alarms the node a batch went to judged (the rest are judged from its owner's queue).
        var alarms = 0, errors = 0
        /// Readings sent on to another node's queue, and the seconds the queues took to empty.
        var forwarded = 0, drain = 0.0
    }

    /// Every town's three loops at once for `seconds`; rates are totals over the towns. Readings
    /// are counted over the loops' time and `drain`'s, which waits for the queues to empty.
    static func load(_ towns: [Town], seconds: Int, drain: () async throws -> Double) async throws -> Run {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        var run = Run()
        try await withThrowingTaskGroup(of: Run.self) { group in
            for town in towns {
                group.addTask { try await ingestLoop(town, until: deadline) }
                group.addTask { try await caseLoop(town, until: deadline) }
                group.addTask { try await cockpitLoop(town, until: deadline) }
            }
            for try await part in group {
                run.ingest.merge(part.ingest)
                run.cases.merge(part.cases)
                run.cockpit.merge(part.cockpit)
                (run.readings, run.steps, run.reads) =
                    (run.readings + part.readings, run.steps + part.steps, run.reads + part.reads)
                (run.alarms, run.errors) = (run.alarms + part.alarms, run.errors + part.errors)
                run.forwarded += part.forwarded
            }
        }
        let elapsed = BenchTiming.milliseconds(ContinuousClock.now - started) / 1000
        run.drain = try await drain()
        (run.readings, run.steps, run.reads) =
            (run.readings / (elapsed + run.drain), run.steps / elapsed, run.reads / elapsed)
        return run
    }

    /// Runs `round` until the deadline, one at a time, counting failures (the first one printed).
    static func loop(
        _ name: String, until deadline: ContinuousClock.Instant, _ round: (inout Run, Int) async throws -> Void
    ) async -> Run {
        var run = Run()
        var index = 0
        while ContinuousClock.now < deadline {
            do {
                try await round(&run, index)
            } catch {
                if run.errors == 0 { print("\(name) loop: \(loggedError(error))") }
                run.errors += 1
            }
            index += 1
        }
        return run
    }

    static func ingestLoop(_ town: Town, until deadline: ContinuousClock.Instant) async throws -> Run {
        await loop("ingest", until: deadline) { run, round in
            let at = EpochMillis.now()
            let readings = (0..<town.batch).map { line -> IncomingReading in
                let device = (round * town.batch + line) % town.devices
                let spike = (device + round) % 400 == 0
                let pm25 = Double(spike ? 160 + device % 40 : 20 + (device * 7 + round * 13) % 45)
                return IncomingReading(
                    line: line + 1, device: BenchIngest.code(device), at: at,
                    values: [("pm25", pm25), ("pm10", pm25 + 30), ("no2", Double(30 + device % 20))])
            }
            let report = try await BenchTiming.timed(&run.ingest) {
                try await town.node(round).telemetry.ingest(readings, by: .system)
            }
            run.readings += Double(report.accepted)
            (run.alarms, run.forwarded) = (run.alarms + report.alarms, run.forwarded + report.forwarded)
        }
    }

    /// A case reported and filed: two steps of the loop, each a transaction with its history and audit.
    static func caseLoop(_ town: Town, until deadline: ContinuousClock.Instant) async throws -> Run {
        await loop("case", until: deadline) { run, index in
            let lon = 120.6 + 0.00001 * Double(index % 900), lat = 31.3001 + 0.00001 * Double(index / 900 % 900)
            let outcome = try await BenchTiming.timed(&run.cases) {
                try await town.node(index).cases.report(
                    NewReport(matterCode: "E0102", description: "bench", lon: lon, lat: lat), by: town.setup.inspector)
            }
            _ = try await BenchTiming.timed(&run.cases) {
                try await town.node(index + 1).cases.act(
                    caseId: outcome.case.id, CaseActionInput(.file), by: town.setup.supervisor)
            }
            run.steps += 2
        }
    }

    static func cockpitLoop(_ town: Town, until deadline: ContinuousClock.Instant) async throws -> Run {
        await loop("cockpit", until: deadline) { run, round in
            _ = try await BenchTiming.timed(&run.cockpit) {
                try await town.node(round).cockpit.summary(by: town.setup.supervisor)
            }
            run.reads += 1
        }
    }

    /// A city's tables by size (indexes and TOAST included), largest first.
    static func tableSizes(_ platform: Platform) async throws -> [(name: String, bytes: Int64)] {
        try await platform.pool.read { db in
            try await db.raw(
                """
                SELECT c.relname AS name,
                       COALESCE((SELECT sum(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i
                                 WHERE i.inhparent = c.oid), 0)::bigint + pg_total_relation_size(c.oid) AS bytes
                FROM pg_class c
                WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                ORDER BY bytes DESC
                """
            ).all().map {
                (try $0.decode(column: "name", as: String.self), try $0.decode(column: "bytes", as: Int64.self))
            }
        }
    }
}
