import ArgumentParser
import ChengyunCore
import ChengyunServer
import ChengyunStore
import Foundation
import Hummingbird
import Logging
import SQLiteNIO

/// Case transitions over HTTP on the embedded SQLite default: `wrk` in a separate process keeps
/// `--connections` requests in flight, each a real step on its own case (a department asks for
/// more time, the dispatcher declines, and again), through the whole stack — auth, role, scope
/// and state checks, the stage clock, history and audit entry, one durable transaction each.
/// Baseline: the same writes as raw SQLite transactions in the same run.
struct BenchCases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cases", abstract: "Case transitions per second over HTTP, with a raw SQLite baseline.")

    @Option var connections = 32
    @Option var seconds = 20
    @Option(help: "Cases in handling to spread the load over.") var cases = 512
    @Option var port = 18_181

    func run() async throws {
        // Said before any setup: the load comes from wrk, which a fresh machine lacks.
        guard Self.onPath("wrk") else {
            throw ValidationError("bench cases drives the server with wrk, which is not installed: apt-get install wrk (Debian/Ubuntu).")
        }
        let scratch = BenchDatabase()
        defer { scratch.remove() }
        let (directory, logger) = (scratch.directory, scratch.logger)
        var settings = scratch.settings
        settings.duplicates.mode = .off
        let pool = try await scratch.open()
        let platform = Platform(pool: pool, settings: settings)
        let setup = try await BenchCity.make(platform)
        print("setting up \(cases) cases in handling…")
        var ids: [String] = []
        for index in 0..<cases {
            let lon = 120.6 + 0.00001 * Double(index % 300), lat = 31.3001 + 0.00001 * Double(index / 300)
            let outcome = try await platform.cases.report(NewReport(matterCode: "E0102", description: "bench", lon: lon, lat: lat), by: setup.inspector)
            _ = try await platform.cases.act(caseId: outcome.case.id, CaseActionInput(.file), by: setup.supervisor)
            ids.append(outcome.case.id)
        }
        let handlerToken = try await platform.auth.loginStaff(username: "bench.handler", password: BenchCity.password).token
        let dispatcherToken = try await platform.auth.loginStaff(username: "bench.dispatcher", password: BenchCity.password).token

        var config = AppConfig()
        config.port = port
        let app = buildApplication(config, platform: platform, logger: logger)
        let server = Task { try await app.runService() }
        try await Task.sleep(for: .seconds(1))

        let script = directory + "/bench.lua"
        try Self.lua(ids: ids, handler: handlerToken, dispatcher: dispatcherToken).write(toFile: script, atomically: true, encoding: .utf8)
        print("running wrk: \(connections) connections for \(seconds) s…")
        let output = try Self.shell(["wrk", "-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script, "http://127.0.0.1:\(port)"])
        let rate = Self.number(after: "Requests/sec:", in: output) ?? 0
        let p50 = Self.latency("50%", in: output), p99 = Self.latency("99%", in: output)
        let failed = Int(Self.number(after: "Non-2xx or 3xx responses:", in: output) ?? 0)
        let done = try await pool.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM case_events WHERE action IN ('requestExtension', 'denyExtension')").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
        server.cancel()  // its shutdown closes the pool
        _ = await server.result
        print(output)
        print("transitions recorded in the case history: \(done); refused requests: \(failed)")

        let baseline = try await Self.baseline(directory: directory + "/baseline", transactions: 3000)
        print(#"{"bench":"cases","transitions_per_s":\#(String(format: "%.0f", rate)),"p50_ms":\#(String(format: "%.2f", p50)),"p99_ms":\#(String(format: "%.2f", p99)),"baseline_per_s":\#(String(format: "%.0f", baseline)),"connections":\#(connections),"refused":\#(failed),"recorded":\#(done)}"#)
    }

    static func lua(ids: [String], handler: String, dispatcher: String) -> String {
        """
        local ids = {\(ids.map { "\"\($0)\"" }.joined(separator: ","))}
        local handler = "Bearer \(handler)"
        local dispatcher = "Bearer \(dispatcher)"
        local threads = 0
        function setup(thread)
          thread:set("slot", threads)
          threads = threads + 1
        end
        function init(args)
          per = math.floor(#ids / 2)
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
        """
    }

    /// The writes of one transition as bare SQL on the same schema and settings (WAL, FULL sync):
    /// read the case, update it, append the history line, append the audit entry, move the head.
    static func baseline(directory: String, transactions: Int) async throws -> Double {
        var logger = Logger(label: "baseline")
        logger.logLevel = .error
        let pool = try await openDatabase(directory + "/raw.sqlite", logger: logger)
        try await Migrator().migrate(pool)
        let platform = Platform(pool: pool, settings: { var s = PlatformSettings(); s.bcryptCost = 4; return s }())
        let setup = try await BenchCity.make(platform)
        let id = try await platform.cases.report(NewReport(matterCode: "E0102", description: "baseline", lon: 120.6, lat: 31.3001),
                                                 by: setup.inspector).case.id
        await pool.close()
        let connection = try await SQLiteConnection.open(storage: .file(path: directory + "/raw.sqlite"), logger: logger)
        _ = try await connection.query("PRAGMA journal_mode = WAL", [])
        _ = try await connection.query("PRAGMA synchronous = FULL", [])
        let start = ContinuousClock.now
        for seq in 0..<transactions {
            _ = try await connection.query("BEGIN IMMEDIATE", [])
            _ = try await connection.query("SELECT * FROM cases WHERE id = ?", [.text(id)])
            _ = try await connection.query("UPDATE cases SET revision = revision + 1, pending_request = ? WHERE id = ?",
                                           [seq % 2 == 0 ? .text("extension") : .null, .text(id)])
            _ = try await connection.query("""
                INSERT INTO case_events (case_id, seq, at, actor_kind, actor_id, actor_name, action, from_state, to_state, note, attachments)
                VALUES (?, ?, ?, 'staff', 'u', 'u', 'requestExtension', 'handling', 'handling', NULL, '[]')
                """, [.text(id), .integer(seq + 10), .integer(seq)])
            _ = try await connection.query("SELECT last_seq, last_hash FROM audit_head WHERE id = 1", [])
            _ = try await connection.query("""
                INSERT INTO audit_log (seq, id, at, actor_kind, actor_id, actor_name, action, target_type, target_id, summary, prev_hash, hash)
                VALUES (?, ?, 0, 'staff', 'u', 'u', 'case.requestExtension', 'case', ?, 's', 'p', 'h')
                """, [.integer(100_000 + seq), .text("b\(seq)"), .text(id)])
            _ = try await connection.query("UPDATE audit_head SET last_seq = ?, last_hash = 'h' WHERE id = 1", [.integer(100_000 + seq)])
            _ = try await connection.query("COMMIT", [])
        }
        let elapsed = ContinuousClock.now - start
        try await connection.close()
        return Double(transactions) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    static func onPath(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    static func shell(_ arguments: [String]) throws -> String {
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
            throw ValidationError("\(arguments[0]) failed (is it installed? apt-get install wrk): \(String(decoding: data, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func number(after label: String, in text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
        return Double(line.replacingOccurrences(of: label, with: "").trimmingCharacters(in: .whitespaces))
    }

    /// wrk's latency distribution line ("  99%   12.34ms") in milliseconds.
    static func latency(_ percentile: String, in text: String) -> Double {
        guard let line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(percentile) }),
              let value = line.split(separator: " ").last else { return 0 }
        let text = String(value)
        for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(unit) {
            return (Double(text.dropLast(unit.count)) ?? 0) * factor
        }
        return 0
    }
}

/// A minimal city for benchmarks: the default catalogue, one street with one large grid cell,
/// a sanitation department routed for exposed garbage, and the staff the steps need.
enum BenchCity {
    static let password = "Bench-Pass-2026"

    struct Setup {
        var inspector: Principal
        var supervisor: Principal
    }

    static func make(_ platform: Platform) async throws -> Setup {
        let org = platform.organisation
        _ = try await platform.catalogue.importTree(try CategoryRepository.defaultTree(), by: .system)
        _ = try await platform.matters.importCatalogue(try MatterService.defaultCatalogue(), by: .system)
        let city = try await org.createArea(NewArea(code: "320500", name: "苏州市", level: .city, parentId: nil), by: .system)
        let district = try await org.createArea(NewArea(code: "320508", name: "姑苏区", level: .district, parentId: city.id), by: .system)
        let street = try await org.createArea(NewArea(code: "320508001", name: "平江街道", level: .street, parentId: district.id), by: .system)
        let community = try await org.createArea(NewArea(code: "320508001001", name: "东园社区", level: .community, parentId: street.id), by: .system)
        _ = try await org.createGridCell(NewGridCell(code: "32050800100101", name: "东园第1网格", geometry: try GeoPolygon(rings: [[
            GeoPoint(lon: 120.6, lat: 31.3), GeoPoint(lon: 120.61, lat: 31.3), GeoPoint(lon: 120.61, lat: 31.31), GeoPoint(lon: 120.6, lat: 31.31)]])),
            by: .system)
        let department = try await org.createDepartment(NewDepartment(code: "D-SAN", name: "姑苏区环卫所", kind: .sanitation,
                                                                      areaId: district.id, phone: nil), by: .system)
        let garbage = try await platform.matters.all().first { $0.code == "E0102" }!
        _ = try await platform.matters.addRule(NewRoutingRule(matterId: garbage.id, areaId: district.id, departmentIds: [department.id]),
                                               by: .system)
        func user(_ name: String, _ role: Role, department: String? = nil) async throws -> Principal {
            .staff(try await platform.people.createUser(NewUser(username: name, displayName: name, password: password, roles: [role],
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
