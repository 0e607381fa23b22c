import ArgumentParser
import ChengyunCore
import ChengyunStore
import Foundation
import Logging
import SQLKit

/// One month's performance evaluation over a synthetic year of 1,000,000 cases spread over a
/// 10 km × 10 km city (with their five
/// finished stages and filing and dispatch events), and the duplicate check a new report makes,
/// on embedded SQLite. The history is generated inside SQLite (recursive CTEs) so setting up takes
/// seconds; the evaluation and the check then run through the product's own services.
struct BenchEvaluation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluation", abstract: "Evaluation and duplicate-check times over a large history.")

    @Option var cases = 1_000_000
    @Option(help: "Duplicate checks to time.") var checks = 2000

    func run() async throws { print(try await measure().json) }

    func measure() async throws -> BenchResult {
        let scratch = BenchDatabase()
        defer { scratch.remove() }
        let (pool, platform, now) = try await scratch.benchCity()
        print("generating \(cases) cases over a year…")
        let setup = ContinuousClock.now
        try await Self.generateYear(cases: cases, now: now, pool: pool)
        print("generated in \(ContinuousClock.now - setup)")

        // One month's evaluation for all people, departments and areas, five times; beside it
        // the hand-written aggregate of the same month's finished stages by department.
        var timings: [Double] = [], baselines: [Double] = []
        for _ in 0..<5 {
            let begin = ContinuousClock.now
            let report = try await platform.evaluation.evaluate(from: now - 30 * 86_400_000, to: now, by: .system)
            timings.append(BenchTiming.milliseconds(ContinuousClock.now - begin))
            guard report.departments.first?.figures["handled"] != nil else {
                throw BenchFailure("evaluation: no department was evaluated")
            }
            let plain = ContinuousClock.now
            _ = try await pool.read { db in
                try await db.raw(
                    """
                    SELECT department_id, stage, COUNT(*) AS n, SUM(on_time) AS on_time FROM case_stages
                    WHERE finished_at >= \(bind: now - 30 * 86_400_000) AND finished_at < \(bind: now) GROUP BY department_id, stage
                    """
                ).all()
            }
            baselines.append(BenchTiming.milliseconds(ContinuousClock.now - plain))
        }
        let evaluation = timings.sorted()[2], evaluationBaseline = baselines.sorted()[2]
        let duplicates = try await duplicateChecks(pool: pool, now: now)
        await pool.close()
        print(
            "evaluation of the last month: \(timings.map { String(format: "%.0f", $0) }.joined(separator: ", ")) ms "
                + "(the plain aggregate: \(baselines.map { String(format: "%.0f", $0) }.joined(separator: ", ")) ms)")
        return BenchResult(
            "evaluation",
            baselineMethod:
                "evaluation: one hand-written GROUP BY over the month's finished stages; duplicate check: the same "
                + "bucket query for three columns, the distance test, then the duplicates' whole rows left undecoded; same file, same probes",
            [
                "evaluation_ms": BenchResult.rounded(try BenchFailure.positive(evaluation, "evaluation time"), 1),
                "baseline_evaluation_ms": BenchResult.rounded(evaluationBaseline, 1), "cases": cases,
            ].merging(duplicates) { a, _ in a })
    }

    /// The duplicate check a new report makes (open cases of its minor category within 50 m,
    /// reported within the rule's window), probed where the recent open cases are: each probe a
    /// random recent open case moved up to about 80 m, so some probes find it and some do not.
    private func duplicateChecks(pool: any DatabasePool, now: Int64) async throws -> [String: Any] {
        let rule = DuplicateRule()
        let open = try await pool.read { db in
            try await db.raw(
                """
                SELECT lon, lat FROM cases WHERE state NOT IN ('closed', 'rejected', 'cancelled', 'merged') AND reported_at >= \(bind: now - rule.windowMillis)
                """
            ).all().map {
                GeoPoint(
                    lon: try $0.decode(column: "lon", as: Double.self),
                    lat: try $0.decode(column: "lat", as: Double.self))
            }
        }
        guard !open.isEmpty else {
            throw BenchFailure("duplicate check: the generated year has no recent open case to probe near")
        }
        var rng = SplitMix64(seed: 7)
        let probes = (0..<checks).map { _ in
            let near = open[Int(rng.next() % UInt64(open.count))]
            return GeoPoint(
                lon: near.lon + (Double(rng.next() % 1_601) - 800) * 0.000001,
                lat: near.lat + (Double(rng.next() % 1_441) - 720) * 0.000001)
        }
        var platformTimes = Latencies(), baselineTimes = Latencies()
        var withCandidate = 0, withDuplicate = 0, baselineDuplicates = 0
        let closed = [CaseState.closed, .rejected, .cancelled, .merged].map(\.rawValue)
        for point in probes {
            let begin = ContinuousClock.now
            // The report path's check: the candidates' rule columns, then the duplicates whole.
            let (candidates, found) = try await pool.read { db in
                let candidates = try await CaseRepository().nearbyOpen(
                    kind: .event, majorCode: "01", minorCode: "02", keys: rule.searchKeys(around: point),
                    reportedAfter: now - rule.windowMillis, on: db)
                let duplicates = rule.duplicates(
                    among: candidates, of: .event, major: "01", minor: "02", at: point, reportedAt: now)
                return (candidates.count, try await CaseRepository().find(ids: duplicates.map(\.id), on: db).count)
            }
            platformTimes.record(milliseconds: BenchTiming.milliseconds(ContinuousClock.now - begin))
            withCandidate += candidates == 0 ? 0 : 1
            withDuplicate += found > 0 ? 1 : 0

            let plain = ContinuousClock.now
            let near = try await pool.read { db in
                let rows = try await db.raw(
                    """
                    SELECT id, lon, lat FROM cases WHERE kind = 'event' AND major_code = '01' AND minor_code = '02'
                    AND bucket IN (\(binds: rule.searchKeys(around: point).map(\.packed))) AND reported_at >= \(bind: now - rule.windowMillis)
                    AND state NOT IN (\(binds: closed))
                    """
                ).all()
                let ids = try rows.filter { row in
                    GeoPoint(
                        lon: try row.decode(column: "lon", as: Double.self),
                        lat: try row.decode(column: "lat", as: Double.self)
                    )
                    .distance(to: point) <= rule.distanceMetres
                }.map { try $0.decode(column: "id", as: String.self) }
                guard !ids.isEmpty else { return 0 }
                return try await db.raw("SELECT * FROM cases WHERE id IN (\(binds: ids))").all().count
            }
            baselineTimes.record(milliseconds: BenchTiming.milliseconds(ContinuousClock.now - plain))
            baselineDuplicates += near > 0 ? 1 : 0
        }
        guard baselineDuplicates == withDuplicate else {
            throw BenchFailure(
                "duplicate check: the hand-written query found \(baselineDuplicates) probes with a duplicate, the product \(withDuplicate)"
            )
        }
        print(
            "duplicate check: \(checks) probes near recent open cases; \(withCandidate) had a candidate, \(withDuplicate) a duplicate"
        )
        return try platformTimes.figures("duplicate_check").merging(baselineTimes.figures("baseline_duplicate_check")) {
            a, _ in a
        }.merging([
            "duplicate_check_ms": BenchResult.rounded(
                try BenchFailure.positive(platformTimes.meanMilliseconds, "duplicate check"), 3),
            "probes": checks, "probes_with_candidate": BenchResult.rounded(Double(withCandidate) / Double(checks), 3),
            "probes_with_duplicate": BenchResult.rounded(Double(withDuplicate) / Double(checks), 3),
        ]) { a, _ in a }
    }

    /// A synthetic year of `cases` exposed-garbage cases (E0102) ending at `now`, with their five
    /// finished stages and filing and dispatch events, generated inside SQLite; the bench city
    /// must exist already.
    static func generateYear(cases: Int, now: Int64, pool: any DatabasePool) async throws {
        let ids = try await pool.read { db in
            (
                matter: try await MatterRepository().all(on: db).first { $0.code == "E0102" }!.id,
                community: try await AreaRepository().find(code: "320508001001", on: db)!,
                department: try await DepartmentRepository().find(code: "D-SAN", on: db)!.id,
                inspector: try await UserRepository().findWithHash(username: "bench.inspector", on: db)!.user.id,
                supervisor: try await UserRepository().findWithHash(username: "bench.supervisor", on: db)!.user.id
            )
        }
        let year: Int64 = 365 * 86_400_000, start = now - year
        try await pool.transaction { db in
            try await db.raw(
                """
                WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < \(literal: cases))
                INSERT INTO cases (id, number, kind, matter_id, matter_version, major_code, minor_code, urgency, state, source,
                  description, lon, lat, bucket_x, bucket_y, bucket, area_id, area_path, reporter_kind, reporter_id, department_ids,
                  duplicate_count, reopen_count, rework_count, extension_count, custom_fields, reported_at, filed_at, closed_at,
                  case_deadline, updated_at, revision)
                SELECT printf('S%09d', n), printf('E0102S%09d', n), 'event', \(bind: ids.matter), 1, '01', '02', 'normal',
                  CASE WHEN n % 10 < 8 THEN 'closed' ELSE 'handling' END, CASE WHEN n % 3 = 0 THEN 'citizen' ELSE 'inspector' END,
                  'synthetic', 120.55 + (n % 1000) * 0.0001, 31.25 + ((n / 1000) % 1000) * 0.00009,
                  CAST((120.55 + (n % 1000) * 0.0001) / 0.001 AS INTEGER), CAST((31.25 + ((n / 1000) % 1000) * 0.00009) / 0.001 AS INTEGER),
                  CAST((120.55 + (n % 1000) * 0.0001) / 0.001 AS INTEGER) * 4294967296 + CAST((31.25 + ((n / 1000) % 1000) * 0.00009) / 0.001 AS INTEGER),
                  \(bind: ids.community.id), \(bind: ids.community.path), 'staff', \(bind: ids.inspector), \(bind: "," + ids.department + ","),
                  0, 0, 0, 0, '{}', \(bind: start) + n * \(literal: year / Int64(cases)), \(bind: start) + n * \(literal: year / Int64(cases)) + 600000,
                  CASE WHEN n % 10 < 8 THEN \(bind: start) + n * \(literal: year / Int64(cases)) + 18000000 END,
                  \(bind: start) + n * \(literal: year / Int64(cases)) + 36000000, \(bind: now), 1
                FROM seq
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO case_stages (case_id, seq, stage, started_at, deadline, limit_millis, used_millis, finished_at, on_time,
                  ended_by, actor_id, department_id)
                SELECT c.id, s.k, s.stage, c.reported_at + s.k * 600000, c.reported_at + s.k * 600000 + 1800000, 1800000,
                  CASE WHEN (rowid_n + s.k) % 7 = 0 THEN 2400000 ELSE 900000 END, c.reported_at + (s.k + 1) * 600000,
                  CASE WHEN (rowid_n + s.k) % 7 = 0 THEN 0 ELSE 1 END, s.ended_by,
                  CASE s.stage WHEN 'file' THEN \(bind: ids.supervisor) WHEN 'dispatch' THEN 'system' WHEN 'check' THEN \(bind: ids.inspector)
                    WHEN 'close' THEN \(bind: ids.supervisor) ELSE NULL END,
                  CASE WHEN s.stage IN ('handle', 'check') THEN \(bind: ids.department) END
                FROM (SELECT id, reported_at, CAST(substr(id, 2) AS INTEGER) AS rowid_n FROM cases WHERE id LIKE 'S%') c
                CROSS JOIN (SELECT 1 AS k, 'file' AS stage, 'file' AS ended_by UNION ALL SELECT 2, 'dispatch', 'dispatch'
                            UNION ALL SELECT 3, 'handle', 'complete' UNION ALL SELECT 4, 'check', 'pass'
                            UNION ALL SELECT 5, 'close', 'close') s
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO stage_daily (day, stage, ended_by, actor_id, department_id, n, on_time)
                SELECT (finished_at + 28800000) / 86400000, stage, COALESCE(ended_by, ''), COALESCE(actor_id, ''),
                       COALESCE(department_id, ''), COUNT(*), SUM(on_time)
                FROM case_stages GROUP BY 1, 2, 3, 4, 5
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO case_events (case_id, seq, at, actor_kind, actor_id, actor_name, action, from_state, to_state, attachments)
                SELECT id, s.k, reported_at + s.k * 600000, 'staff', \(bind: ids.supervisor), 'bench', s.action, s.f, s.t, '[]'
                FROM cases CROSS JOIN (SELECT 1 AS k, 'report' AS action, NULL AS f, 'filing' AS t
                                       UNION ALL SELECT 2, 'file', 'filing', 'dispatching'
                                       UNION ALL SELECT 3, 'dispatch', 'dispatching', 'handling') s
                WHERE id LIKE 'S%'
                """
            ).run()
        }
        try await pool.transaction { try await $0.raw("ANALYZE").run() }
    }
}
