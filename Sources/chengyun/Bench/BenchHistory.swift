import ChengyunCore
import ChengyunStore
import Foundation
import SQLKit

/// A large case history for the benches that read one (`bench evaluation`, `bench indicators`).
enum BenchHistory {
    /// A synthetic year of `cases` exposed-garbage cases (E0102) ending at `now`, with their five
    /// finished stages and filing and dispatch events, generated inside the database; the bench
    /// city must exist already.
    static func generateYear(cases: Int, now: Int64, pool: any DatabasePool) async throws {
        // The dialects' spellings: a zero-padded number; the integer part of a real (SQLite's CAST
        // drops the fraction, PostgreSQL's rounds); a real literal computed in double precision,
        // as SQLite and the product compute positions.
        let postgres = pool.backend == .postgres
        func padded(_ prefix: String) -> String {
            postgres ? "'\(prefix)' || lpad(n::text, 9, '0')" : "printf('\(prefix)%09d', n)"
        }
        func whole(_ real: String) -> String {
            postgres ? "CAST(FLOOR(\(real)) AS BIGINT)" : "CAST(\(real) AS INTEGER)"
        }
        let double = postgres ? "::float8" : ""
        let (lon, lat) = (
            "(120.55\(double) + (n % 1000) * 0.0001\(double))",
            "(31.25\(double) + ((n / 1000) % 1000) * 0.00009\(double))"
        )
        let (x, y) = (whole("\(lon) / 0.001\(double)"), whole("\(lat) / 0.001\(double)"))
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
                WITH RECURSIVE seq(n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM seq WHERE n < \(literal: cases))
                INSERT INTO cases (id, number, kind, matter_id, matter_version, major_code, minor_code, urgency, state, source,
                  description, lon, lat, bucket_x, bucket_y, bucket, area_id, area_path, reporter_kind, reporter_id, department_ids,
                  duplicate_count, reopen_count, rework_count, extension_count, custom_fields, reported_at, filed_at, closed_at,
                  case_deadline, updated_at, revision)
                SELECT \(unsafeRaw: padded("S")), \(unsafeRaw: padded("E0102S")), 'event', \(bind: ids.matter), 1, '01', '02',
                  'normal', CASE WHEN n % 10 < 8 THEN 'closed' ELSE 'handling' END,
                  CASE WHEN n % 3 = 0 THEN 'citizen' ELSE 'inspector' END, 'synthetic', \(unsafeRaw: lon), \(unsafeRaw: lat),
                  \(unsafeRaw: x), \(unsafeRaw: y), \(unsafeRaw: x) * 4294967296 + \(unsafeRaw: y),
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
