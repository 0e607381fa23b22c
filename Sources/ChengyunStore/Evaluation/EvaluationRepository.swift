import ChengyunCore
import SQLKit

/// Aggregates over the case history for one period, grouped in SQL so a month of a large city is
/// a handful of small result sets. Sums are cast to BIGINT: PostgreSQL sums BIGINT as NUMERIC.
struct EvaluationRepository {
    struct StageCount {
        var actorId: String?
        var departmentId: String?
        var stage: CaseStage
        var endedBy: String?
        var count: Int
        var onTime: Int
    }

    /// Finished stages of the period: whole local days from `stage_daily`, the partial days at the
    /// edges from the stages themselves.
    func stageCounts(from: Int64, to: Int64, utcOffsetMinutes: Int, on db: any SQLDatabase) async throws -> [StageCount]
    {
        let offset = Int64(utcOffsetMinutes) * 60_000, day: Int64 = 86_400_000
        let firstWhole = Self.ceilDiv(from + offset, day), endWhole = Self.floorDiv(to + offset, day)
        guard firstWhole < endWhole else { return try await rawStageCounts(from: from, to: to, on: db) }
        var counts = try await rawStageCounts(from: from, to: firstWhole * day - offset, on: db)
        counts += try await rawStageCounts(from: endWhole * day - offset, to: to, on: db)
        let rows = try await db.raw(
            """
            SELECT actor_id, department_id, stage, ended_by, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(on_time) AS BIGINT) AS ok
            FROM stage_daily WHERE day >= \(bind: firstWhole) AND day < \(bind: endWhole)
            GROUP BY actor_id, department_id, stage, ended_by
            """
        ).all()
        for row in rows {
            guard let stage = CaseStage(rawValue: try row.decode(column: "stage", as: String.self)) else { continue }
            let text = { (column: String) in try row.decode(column: column, as: String.self) }
            counts.append(
                StageCount(
                    actorId: try text("actor_id").nilIfEmpty, departmentId: try text("department_id").nilIfEmpty,
                    stage: stage, endedBy: try text("ended_by").nilIfEmpty,
                    count: try row.decode(column: "n", as: Int.self), onTime: try row.decode(column: "ok", as: Int.self)
                ))
        }
        return counts
    }

    func rawStageCounts(from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [StageCount] {
        guard to > from else { return [] }
        let rows = try await db.raw(
            """
            SELECT actor_id, department_id, stage, ended_by, COUNT(*) AS n, CAST(SUM(COALESCE(on_time, 0)) AS BIGINT) AS ok
            FROM case_stages WHERE finished_at >= \(bind: from) AND finished_at < \(bind: to)
            GROUP BY actor_id, department_id, stage, ended_by
            """
        ).all()
        return try rows.compactMap { row in
            guard let stage = CaseStage(rawValue: try row.decode(column: "stage", as: String.self)) else { return nil }
            return StageCount(
                actorId: try row.decode(column: "actor_id", as: String?.self),
                departmentId: try row.decode(column: "department_id", as: String?.self), stage: stage,
                endedBy: try row.decode(column: "ended_by", as: String?.self),
                count: try row.decode(column: "n", as: Int.self), onTime: try row.decode(column: "ok", as: Int.self))
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }
    static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { -floorDiv(-a, b) }

    /// Inspectors' reports in the period and how many were filed.
    func inspectorReports(from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [String: (
        reported: Int, valid: Int
    )] {
        let rows = try await db.raw(
            """
            SELECT reporter_id, COUNT(*) AS n, CAST(SUM(CASE WHEN filed_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS valid
            FROM cases WHERE source = 'inspector' AND reported_at >= \(bind: from) AND reported_at < \(bind: to)
            GROUP BY reporter_id
            """
        ).all()
        var result: [String: (Int, Int)] = [:]
        for row in rows {
            guard let id = try row.decode(column: "reporter_id", as: String?.self) else { continue }
            result[id] = (try row.decode(column: "n", as: Int.self), try row.decode(column: "valid", as: Int.self))
        }
        return result
    }

    struct AreaFiled {
        var areaPath: String
        var fromInspector: Bool
        var count: Int
    }

    /// Cases filed in the period, per community and whether an inspector reported them.
    func filedByArea(from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [AreaFiled] {
        try await db.raw(
            """
            SELECT area_path, CASE WHEN source = 'inspector' THEN 1 ELSE 0 END AS inspector, COUNT(*) AS n
            FROM cases WHERE filed_at >= \(bind: from) AND filed_at < \(bind: to)
            GROUP BY area_path, CASE WHEN source = 'inspector' THEN 1 ELSE 0 END
            """
        ).all().map {
            AreaFiled(
                areaPath: try $0.decode(column: "area_path", as: String.self),
                fromInspector: try $0.decode(column: "inspector", as: Int.self) == 1,
                count: try $0.decode(column: "n", as: Int.self))
        }
    }

    /// Cases closed in the period per community, and how many within the whole-case limit.
    func closedByArea(from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [(
        areaPath: String, closed: Int, onTime: Int
    )] {
        try await db.raw(
            """
            SELECT area_path, COUNT(*) AS n,
                   CAST(SUM(CASE WHEN case_deadline IS NULL OR closed_at <= case_deadline THEN 1 ELSE 0 END) AS BIGINT) AS ok
            FROM cases WHERE closed_at >= \(bind: from) AND closed_at < \(bind: to) GROUP BY area_path
            """
        ).all().map {
            (
                try $0.decode(column: "area_path", as: String.self), try $0.decode(column: "n", as: Int.self),
                try $0.decode(column: "ok", as: Int.self)
            )
        }
    }

    /// Per actor: how many of the cases they filed in the period ended cancelled.
    func filedThenCancelled(from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [String: Int] {
        try await countsByActor(
            """
            SELECT e.actor_id AS actor_id, COUNT(*) AS n FROM case_events e JOIN cases c ON c.id = e.case_id
            WHERE e.action = 'file' AND e.at >= \(from) AND e.at < \(to) AND c.state = 'cancelled' GROUP BY e.actor_id
            """, on: db)
    }

    /// Per actor: dispatches in the period that were later returned by the department.
    func returnedDispatches(from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [String: Int] {
        try await countsByActor(
            """
            SELECT e.actor_id AS actor_id, COUNT(*) AS n FROM case_events e
            WHERE e.action = 'dispatch' AND e.at >= \(from) AND e.at < \(to)
              AND EXISTS (SELECT 1 FROM case_events r WHERE r.case_id = e.case_id AND r.action = 'approveReturn' AND r.seq > e.seq)
            GROUP BY e.actor_id
            """, on: db)
    }

    /// Per intake operator: check tasks sent to an inspector in the period, and those sent on
    /// time (the step records which when it is taken).
    func checkDispatches(from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [String: (Int, Int)] {
        var result: [String: (Int, Int)] = [:]
        for row in try await db.raw(
            """
            SELECT actor_id, COUNT(*) AS n,
                   SUM(CASE WHEN detail LIKE '%"onTime":"true"%' THEN 1 ELSE 0 END) AS on_time
            FROM case_events
            WHERE action = 'assign' AND from_state = 'checking' AND at >= \(bind: from) AND at < \(bind: to)
            GROUP BY actor_id
            """
        ).all() {
            result[try row.decode(column: "actor_id", as: String.self)] =
                (try row.decode(column: "n", as: Int.self), try row.decode(column: "on_time", as: Int.self))
        }
        return result
    }

    private func countsByActor(_ sql: String, on db: any SQLDatabase) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try await db.raw(SQLQueryString(sql)).all() {
            result[try row.decode(column: "actor_id", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return result
    }

    /// Per department list (",a,b,"): extensions approved in the period.
    func extensions(from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [String: Int] {
        try await countsByDepartments(
            """
            SELECT c.department_ids AS departments, COUNT(*) AS n FROM case_events e JOIN cases c ON c.id = e.case_id
            WHERE e.action = 'approveExtension' AND e.at >= \(from) AND e.at < \(to) GROUP BY c.department_ids
            """, on: db)
    }

    /// Per department: cases still not handled whose handling deadline fell in the period.
    func overdueUnhandled(from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [String: Int] {
        try await countsByDepartments(
            """
            SELECT department_ids AS departments, COUNT(*) AS n FROM cases
            WHERE state = 'handling' AND stage_deadline >= \(from) AND stage_deadline < \(to) GROUP BY department_ids
            """, on: db)
    }

    private func countsByDepartments(_ sql: String, on db: any SQLDatabase) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try await db.raw(SQLQueryString(sql)).all() {
            let n = try row.decode(column: "n", as: Int.self)
            for id in try row.decode(column: "departments", as: String.self).split(separator: ",") {
                result[String(id), default: 0] += n
            }
        }
        return result
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
