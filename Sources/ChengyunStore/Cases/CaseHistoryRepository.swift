import ChengyunCore
import Foundation
import SQLKit

/// A case's history lines, its stage records (and the daily stage counts the evaluation reads),
/// and the reporters filed under it.
extension CaseRepository {
    public func append(_ event: CaseEvent, on db: any SQLDatabase) async throws {
        struct EventRow: Codable {
            var caseId: String, seq: Int, at: Int64, actorKind: String, actorId: String, actorName: String
            var action: String, fromState: CaseState?, toState: CaseState, note: String?, attachments: String,
                detail: String?
        }
        let row = EventRow(
            caseId: event.caseId, seq: event.seq, at: event.at, actorKind: event.actorKind,
            actorId: event.actorId, actorName: event.actorName, action: event.action,
            fromState: event.fromState, toState: event.toState, note: event.note,
            attachments: event.attachments.isEmpty
                ? "[]" : String(decoding: try JSONEncoder().encode(event.attachments), as: UTF8.self),
            detail: event.detail)
        try await db.insert(row: row, into: "case_events")
    }

    public func events(caseId: String, on db: any SQLDatabase) async throws -> [CaseEvent] {
        let rows = try await db.select().column("*").from("case_events").where("case_id", .equal, caseId).orderBy("seq")
            .all()
        return try rows.map { row in
            var event = CaseEvent(
                caseId: try row.decode(column: "case_id", as: String.self),
                seq: try row.decode(column: "seq", as: Int.self), at: try row.decode(column: "at", as: Int64.self),
                actor: .system, action: try row.decode(column: "action", as: String.self),
                fromState: try row.decode(column: "from_state", as: CaseState?.self),
                toState: try row.decode(column: "to_state", as: CaseState.self),
                note: try row.decode(column: "note", as: String?.self),
                attachments: try JSONDecoder().decode(
                    [String].self, from: Data(try row.decode(column: "attachments", as: String.self).utf8)),
                detail: try row.decode(column: "detail", as: String?.self))
            event.actorKind = try row.decode(column: "actor_kind", as: String.self)
            event.actorId = try row.decode(column: "actor_id", as: String.self)
            event.actorName = try row.decode(column: "actor_name", as: String.self)
            return event
        }
    }

    public func insert(_ stage: CaseStageRecord, on db: any SQLDatabase) async throws {
        struct StageRow: Codable {
            var caseId: String, seq: Int, stage: CaseStage, startedAt: Int64, deadline: Int64?, limitMillis: Int64
            var usedMillis: Int64, finishedAt: Int64?, onTime: Int?, endedBy: String?, actorId: String?,
                departmentId: String?
        }
        let row = StageRow(
            caseId: stage.caseId, seq: stage.seq, stage: stage.stage, startedAt: stage.startedAt,
            deadline: stage.deadline, limitMillis: stage.limitMillis, usedMillis: stage.usedMillis,
            finishedAt: stage.finishedAt, onTime: stage.onTime.map { $0 ? 1 : 0 }, endedBy: stage.endedBy,
            actorId: stage.actorId,
            departmentId: stage.departmentId)
        try await db.insert(into: "case_stages").model(row, with: rowEncoder).run()
    }

    /// Counts a finished stage into its local day's row.
    public func count(_ stage: CaseStageRecord, day: Int, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO stage_daily (day, stage, ended_by, actor_id, department_id, n, on_time)
            VALUES (\(bind: day), \(bind: stage.stage.rawValue), \(bind: stage.endedBy ?? ""), \(bind: stage.actorId ?? ""),
                    \(bind: stage.departmentId ?? ""), 1, \(bind: stage.onTime == true ? 1 : 0))
            ON CONFLICT (day, stage, ended_by, actor_id, department_id)
            DO UPDATE SET n = stage_daily.n + 1, on_time = stage_daily.on_time + excluded.on_time
            """
        ).run()
    }

    public func stages(caseId: String, on db: any SQLDatabase) async throws -> [CaseStageRecord] {
        try await db.select().column("*").from("case_stages").where("case_id", .equal, caseId).orderBy("seq").all().map
        { row in
            CaseStageRecord(
                caseId: try row.decode(column: "case_id", as: String.self),
                seq: try row.decode(column: "seq", as: Int.self),
                stage: try row.decode(column: "stage", as: CaseStage.self),
                startedAt: try row.decode(column: "started_at", as: Int64.self),
                deadline: try row.decode(column: "deadline", as: Int64?.self),
                limitMillis: try row.decode(column: "limit_millis", as: Int64.self),
                usedMillis: try row.decode(column: "used_millis", as: Int64.self),
                finishedAt: try row.decode(column: "finished_at", as: Int64?.self),
                onTime: try row.decode(column: "on_time", as: Int?.self).map { $0 != 0 },
                endedBy: try row.decode(column: "ended_by", as: String?.self),
                actorId: try row.decode(column: "actor_id", as: String?.self),
                departmentId: try row.decode(column: "department_id", as: String?.self))
        }
    }

    public func nextStageSeq(caseId: String, on db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("case_stages")
            .where("case_id", .equal, caseId).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func add(_ reporter: CaseReporter, on db: any SQLDatabase) async throws {
        try await db.insert(into: "case_reporters").model(reporter, with: rowEncoder).run()
    }

    public func reporters(caseId: String, on db: any SQLDatabase) async throws -> [CaseReporter] {
        try await db.select().column("*").from("case_reporters").where("case_id", .equal, caseId).orderBy("reported_at")
            .all(decoding: CaseReporter.self, with: rowDecoder)
    }
}
