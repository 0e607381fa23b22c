import ArgumentParser
import ChengyunCore
import ChengyunServer
import ChengyunStore
import Foundation
import Logging

/// Case transitions over HTTP on the embedded SQLite default: `wrk` in a separate process keeps
/// `--connections` requests in flight, each a real step on its own case (a department asks for
/// more time, the dispatcher declines, and again), through the whole stack — auth, role, scope
/// and state checks, the stage clock, history and audit entry, durably group-committed.
/// With `--nodes N` (on PostgreSQL) N servers share the database, wrk's threads taking them in turn.
/// Baseline: `RawCaseStepsBaseline` — the same writes by hand on the same file afterwards, in
/// commits of the group size the platform reached in the run.
struct BenchCases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases", abstract: "Case transitions per second over HTTP, with a hand-written SQLite baseline.")

    @Option var connections = 32
    @Option var seconds = 20
    @Option(help: "Cases in handling to spread the load over.") var cases = 512
    @Option var port = 18_181
    @OptionGroup var target: BenchTarget

    func run() async throws { print(try await measure().json) }

    func measure() async throws -> BenchResult {
        // Said before any setup: the load comes from wrk, which a fresh machine lacks.
        guard Self.onPath("wrk") else {
            throw ValidationError(
                "bench cases drives the server with wrk, which is not installed: apt-get install wrk (Debian/Ubuntu).")
        }
        let (scratch, nodes) = (target.scratch, target.nodes)
        // Each wrk thread its own slice of the cases, two at least.
        guard cases >= 2 * max(2, nodes) else { throw ValidationError("--cases: at least \(2 * max(2, nodes))") }
        defer { scratch.remove() }
        let directory = scratch.directory
        var settings = scratch.settings
        settings.duplicates.mode = .off
        let pool = try await scratch.open()
        return try await scratch.closing(pool) { () async throws -> BenchResult in
            let sqlite = pool as? SQLiteDatabasePool
            let platform = Platform(pool: pool, settings: settings)
            let setup = try await BenchCity.make(platform)
            print("setting up \(cases) cases in handling…")
            var ids: [String] = []
            for index in 0..<cases {
                let lon = 120.6 + 0.00001 * Double(index % 300), lat = 31.3001 + 0.00001 * Double(index / 300)
                let outcome = try await platform.cases.report(
                    NewReport(matterCode: "E0102", description: "bench", lon: lon, lat: lat), by: setup.inspector)
                _ = try await platform.cases.act(caseId: outcome.case.id, CaseActionInput(.file), by: setup.supervisor)
                ids.append(outcome.case.id)
            }
            let handlerToken = try await platform.auth.loginStaff(
                username: "bench.handler", password: BenchCity.password
            )
            .token
            let dispatcherToken = try await platform.auth.loginStaff(
                username: "bench.dispatcher", password: BenchCity.password
            ).token

            let served = try await BenchNodes.start(
                first: platform, count: nodes, scratch: scratch, settings: settings, port: port)
            // A wrk thread a node at least (each thread keeps to one node and its own slice of the cases).
            let threads = max(2, nodes)
            let inFlight = max(connections, threads) / threads * threads // wrk gives each thread as many

            let script = directory + "/bench.lua"
            let before = sqlite?.committed
            let output: String
            let done: Int
            do {
                try Self.lua(
                    ids: ids, handler: handlerToken, dispatcher: dispatcherToken, ports: served.ports, threads: threads
                )
                .write(toFile: script, atomically: true, encoding: .utf8)
                print("running wrk: \(inFlight) connections over \(nodes) node(s) for \(seconds) s…")
                output = try await Self.shell([
                    "wrk", "-t\(threads)", "-c\(inFlight)", "-d\(seconds)s", "--latency", "-s", script,
                    "http://127.0.0.1:\(port)",
                ])
                done = try await pool.read { db in
                    try await db.raw(
                        "SELECT COUNT(*) AS n FROM case_events WHERE action IN ('requestExtension', 'denyExtension')"
                    ).first()?
                    .decode(column: "n", as: Int.self) ?? 0
                }
            } catch {
                await served.stop()
                throw error
            }
            let after = sqlite?.committed
            // A graceful shutdown, as SIGTERM's: the lead handed back and the listener stopped before
            // the pool closes (cancelled outright, a PostgreSQL pool could wait on them for ever).
            await served.stop()
            print(output)
            guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
                let figures = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let requests = figures["requests"] as? Int, let microseconds = figures["duration_us"] as? Double,
                let p50 = figures["p50_us"] as? Double, let p99 = figures["p99_us"] as? Double,
                let failed = figures["non_2xx"] as? Int
            else {
                throw BenchFailure("cases: wrk's summary could not be read from its output")
            }
            let rate = try BenchFailure.positive(
                Double(requests - failed) / (microseconds / 1e6), "transitions per second")
            print("transitions recorded in the case history: \(done); refused requests: \(failed)")
            let baseline: Double
            let groupSize: Double
            if let before, let after {
                let (commits, members) = (after.commits - before.commits, after.members - before.members)
                guard commits > 0 else { throw BenchFailure("cases: no commit during the run") }
                groupSize = Double(members) / Double(commits)
                print("\(members) transactions in \(commits) commits")
                baseline = try await RawCaseStepsBaseline.run(
                    path: directory + "/chengyun.sqlite", caseIds: ids, steps: max(1_000, done),
                    groupSize: Int(groupSize.rounded()))
            } else {
                // PostgreSQL: a transaction a step (the platform's too), on a pool a node of the
                // same schema, as the run's nodes had.
                groupSize = 1
                var pools: [any DatabasePool] = []
                for _ in 0..<nodes { pools.append(try await scratch.open()) }
                baseline = try await scratch.closing(pools) {
                    try await RawCaseStepsBaseline.run(
                        pools: pools, caseIds: ids, steps: max(1_000, done), connections: inFlight)
                }
            }
            return BenchResult(
                "cases",
                baselineMethod: sqlite != nil ? Self.sqliteBaseline : Self.postgresBaseline,
                [
                    "backend": scratch.backend, "nodes": nodes,
                    "transitions_per_s": Int(rate), "p50_ms": BenchResult.rounded(p50 / 1000),
                    "p99_ms": BenchResult.rounded(p99 / 1000), "samples": requests,
                    "baseline_per_s": Int(baseline), "ratio": BenchResult.rounded(rate / baseline),
                    "group_size": BenchResult.rounded(groupSize, 1),
                    "connections": inFlight, "refused": failed, "recorded": done,
                ])
        }
    }

    static func lua(ids: [String], handler: String, dispatcher: String, ports: [Int], threads: Int) -> String {
        """
        local ids = {\(ids.map { "\"\($0)\"" }.joined(separator: ","))}
        local handler = "Bearer \(handler)"
        local dispatcher = "Bearer \(dispatcher)"
        local ports = {\(ports.map(String.init).joined(separator: ","))}
        local threads = 0
        -- Thread k talks to node k mod N, on its own slice of the cases.
        function setup(thread)
          thread:set("slot", threads)
          thread.addr = wrk.lookup("127.0.0.1", tostring(ports[threads % #ports + 1]))[1]
          threads = threads + 1
        end
        function init(args)
          per = math.floor(#ids / \(threads))
          n = 0
          asked = {}
        end
        function request()
          n = n + 1
          local id = ids[slot * per + (n % per) + 1]
          if asked[id] then
            asked[id] = false
            return wrk.format("POST", "/api/v1/cases/" .. id .. "/actions",
              {["Content-Type"] = "application/json", ["Authorization"] = dispatcher}, '{"action":"denyExtension"}')
          end
          asked[id] = true
          return wrk.format("POST", "/api/v1/cases/" .. id .. "/actions",
            {["Content-Type"] = "application/json", ["Authorization"] = handler}, '{"action":"requestExtension","minutes":30}')
        end
        -- wrk's own latency record of every request: its percentiles and the count behind them.
        function done(summary, latency, requests)
          io.write(string.format('{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"non_2xx":%d}\\n',
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), summary.errors.status))
        end
        """
    }

    static func onPath(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    /// Runs a command (wrk, the ingest client) to its end and answers its output. It is waited
    /// for on a thread of its own: a wait the length of the run would otherwise hold one of the
    /// concurrency pool's threads, half of them on two cores, from the servers under test.
    static func shell(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try waitFor(arguments) }) }
        }
    }

    private static func waitFor(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError(
                "\(arguments[0]) failed (is it installed? apt-get install wrk): \(String(decoding: data, as: UTF8.self))"
            )
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A minimal city for benchmarks: the default catalogue, one street with one large grid cell,
/// a sanitation department routed for exposed garbage, and the staff the steps need.
enum BenchCity {
    static let password = "Bench-Pass-2026"

    /// The bench city's city-level area.
    static func city(_ platform: Platform) async throws -> Area {
        guard
            let city = try await platform.organisation.listAreas(
                level: .city, parentId: nil, page: PageRequest(), by: .system
            ).items.first
        else { throw BenchFailure("the bench city has no city") }
        return city
    }

    struct Setup: Sendable {
        var inspector: Principal
        var supervisor: Principal
    }

    static func make(_ platform: Platform) async throws -> Setup {
        let org = platform.organisation
        _ = try await platform.catalogue.importTree(try CategoryRepository.defaultTree(), by: .system)
        _ = try await platform.matters.importCatalogue(try MatterService.defaultCatalogue(), by: .system)
        let city = try await org.createArea(
            NewArea(code: "320500", name: "苏州市", level: .city, parentId: nil), by: .system)
        let district = try await org.createArea(
            NewArea(code: "320508", name: "姑苏区", level: .district, parentId: city.id), by: .system)
        let street = try await org.createArea(
            NewArea(code: "320508001", name: "平江街道", level: .street, parentId: district.id), by: .system)
        let community = try await org.createArea(
            NewArea(code: "320508001001", name: "东园社区", level: .community, parentId: street.id), by: .system)
        _ = try await org.createGridCell(
            NewGridCell(
                code: "32050800100101", name: "东园第1网格",
                geometry: try GeoPolygon(rings: [
                    [
                        GeoPoint(lon: 120.6, lat: 31.3), GeoPoint(lon: 120.61, lat: 31.3),
                        GeoPoint(lon: 120.61, lat: 31.31), GeoPoint(lon: 120.6, lat: 31.31),
                    ]
                ])),
            by: .system)
        let department = try await org.createDepartment(
            NewDepartment(
                code: "D-SAN", name: "姑苏区环卫所", kind: .sanitation,
                areaId: district.id, phone: nil), by: .system)
        let garbage = try await platform.matters.all().first { $0.code == "E0102" }!
        _ = try await platform.matters.addRule(
            NewRoutingRule(matterId: garbage.id, areaId: district.id, departmentIds: [department.id]),
            by: .system)
        func user(_ name: String, _ role: Role, department: String? = nil) async throws -> Principal {
            .staff(
                try await platform.people.createUser(
                    NewUser(
                        username: name, displayName: name, password: password, roles: [role],
                        areaId: city.id, departmentId: department), by: .system))
        }
        _ = community
        let inspector = try await user("bench.inspector", .inspector)
        let supervisor = try await user("bench.supervisor", .supervisor)
        _ = try await user("bench.handler", .handler, department: department.id)
        _ = try await user("bench.dispatcher", .dispatcher)
        return Setup(inspector: inspector, supervisor: supervisor)
    }
}
