import ChengyunCore
import Foundation
import SQLKit

/// Patrol tasks and their check-ins in the database. Lists of ids are kept as JSON text.
struct PatrolRepository: Sendable {
    func insert(_ t: PatrolTask, on db: any SQLDatabase) async throws {
        try await db.insert(into: "patrol_tasks")
            .columns(
                "id", "number", "title", "checklist", "cell_ids", "area_path", "inspector_id", "inspector_name",
                "created_by",
                "created_at", "deadline", "state", "started_at", "completed_at", "note"
            )
            .values(
                SQLBind(t.id), SQLBind(t.number), SQLBind(t.title), SQLBind(try Self.json(t.checklist)),
                SQLBind(try Self.json(t.cellIds)),
                SQLBind(t.areaPath), SQLBind(t.inspectorId), SQLBind(t.inspectorName), SQLBind(t.createdBy),
                SQLBind(t.createdAt),
                SQLBind(t.deadline), SQLBind(t.state.rawValue), SQLBind(t.startedAt), SQLBind(t.completedAt),
                SQLBind(t.note)
            )
            .run()
    }

    func update(_ t: PatrolTask, on db: any SQLDatabase) async throws {
        try await db.update("patrol_tasks").set("state", to: t.state.rawValue).set("started_at", to: t.startedAt)
            .set("completed_at", to: t.completedAt).set("note", to: t.note).where("id", .equal, t.id).run()
    }

    func task(id: String, on db: any SQLDatabase) async throws -> PatrolTask? {
        var query = db.select().column("*").from("patrol_tasks").where("id", .equal, id)
        query = query.orWhere("number", .equal, id)
        guard var task = try await query.first().map(Self.task) else { return nil }
        task.checkedCellIds = try await checkedCells(taskIds: [task.id], on: db)[task.id] ?? []
        return task
    }

    /// Tasks in an area (newest first), one inspector's when given, only open ones when asked.
    func tasks(scope: String, inspectorId: String? = nil, openOnly: Bool = false, limit: Int, on db: any SQLDatabase)
        async throws -> [PatrolTask]
    {
        var query = db.select().column("*").from("patrol_tasks").where("area_path", .like, scope + "%")
        if let inspectorId { query = query.where("inspector_id", .equal, inspectorId) }
        if openOnly {
            query = query.where(
                "state", .in, [PatrolTask.State.assigned.rawValue, PatrolTask.State.inProgress.rawValue])
        }
        var tasks = try await query.orderBy("created_at", .descending).limit(limit).all().map(Self.task)
        let checked = try await checkedCells(taskIds: tasks.map(\.id), on: db)
        for index in tasks.indices { tasks[index].checkedCellIds = checked[tasks[index].id] ?? [] }
        return tasks
    }

    func insert(_ c: PatrolCheckIn, on db: any SQLDatabase) async throws {
        try await db.insert(into: "patrol_check_ins")
            .columns("id", "task_id", "cell_id", "cell_code", "lon", "lat", "at", "by_user", "note")
            .values(
                SQLBind(c.id), SQLBind(c.taskId), SQLBind(c.cellId), SQLBind(c.cellCode), SQLBind(c.lon),
                SQLBind(c.lat), SQLBind(c.at),
                SQLBind(c.by), SQLBind(c.note)
            )
            .run()
    }

    func checkIns(taskId: String, on db: any SQLDatabase) async throws -> [PatrolCheckIn] {
        try await db.select().column("*").from("patrol_check_ins").where("task_id", .equal, taskId).orderBy("at").all()
            .map { row in
                PatrolCheckIn(
                    id: try row.decode(column: "id", as: String.self),
                    taskId: try row.decode(column: "task_id", as: String.self),
                    cellId: try row.decode(column: "cell_id", as: String.self),
                    cellCode: try row.decode(column: "cell_code", as: String.self),
                    lon: try row.decode(column: "lon", as: Double.self),
                    lat: try row.decode(column: "lat", as: Double.self),
                    at: try row.decode(column: "at", as: Int64.self),
                    by: try row.decode(column: "by_user", as: String.self),
                    note: try row.decode(column: "note", as: String?.self))
            }
    }

    /// The distinct cells checked in per task, in first-check-in order.
    private func checkedCells(taskIds: [String], on db: any SQLDatabase) async throws -> [String: [String]] {
        guard !taskIds.isEmpty else { return [:] }
        var result: [String: [String]] = [:]
        for row in try await db.select().columns("task_id", "cell_id").from("patrol_check_ins").where(
            "task_id", .in, taskIds
        )
        .orderBy("at").all() {
            let task = try row.decode(column: "task_id", as: String.self),
                cell = try row.decode(column: "cell_id", as: String.self)
            if !(result[task]?.contains(cell) ?? false) { result[task, default: []].append(cell) }
        }
        return result
    }

    /// The next number of a local day: XC + yyyymmdd + a three-digit sequence, drawn from the
    /// same gap-free sequence table as case numbers (safe when two are made at once).
    func nextNumber(day: LocalDate, on db: any SQLDatabase) async throws -> String {
        let prefix = "XC" + day.description.replacingOccurrences(of: "-", with: "")
        return prefix + String(format: "%03d", try await CaseRepository().nextSequence(prefix: prefix, on: db))
    }

    private static func json(_ list: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
    }
    private static func list(_ text: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    private static func task(_ row: any SQLRow) throws -> PatrolTask {
        var task = PatrolTask(
            id: try row.decode(column: "id", as: String.self),
            number: try row.decode(column: "number", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            checklist: try list(try row.decode(column: "checklist", as: String.self)),
            cellIds: try list(try row.decode(column: "cell_ids", as: String.self)),
            areaPath: try row.decode(column: "area_path", as: String.self),
            inspectorId: try row.decode(column: "inspector_id", as: String.self),
            inspectorName: try row.decode(column: "inspector_name", as: String.self),
            createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            deadline: try row.decode(column: "deadline", as: Int64.self),
            state: try row.decode(column: "state", as: PatrolTask.State.self))
        task.startedAt = try row.decode(column: "started_at", as: Int64?.self)
        task.completedAt = try row.decode(column: "completed_at", as: Int64?.self)
        task.note = try row.decode(column: "note", as: String?.self)
        return task
    }
}
