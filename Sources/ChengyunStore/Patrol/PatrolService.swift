import ChengyunCore
import Foundation
import SQLKit

/// Patrol tasks (巡查任务): a supervisor sends an inspector round grid cells with a checklist by a
/// deadline; the inspector checks each cell in on site (the position must fall in one of the
/// task's cells) and finishes the task, explaining any cell left out. Warnings and supervision
/// of late tasks are the supervision sweep's.
public struct PatrolService: Sendable {
    let platform: Platform
    let repository = PatrolRepository()
    static let assigners: Set<Role> = [.supervisor, .dispatcher, .admin]

    public init(platform: Platform) { self.platform = platform }

    public func create(_ input: NewPatrolTask, by actor: Principal) async throws -> PatrolTask {
        let now = platform.now()
        return try await platform.write(
            actor, "patrol.create", target: "patrolTask",
            summary: { (t: PatrolTask) in (t.id, "\(t.number) \(t.title)") }
        ) { db in
            var validator = Validator()
            let title = input.title.trimmingCharacters(in: .whitespacesAndNewlines)
            validator.check((1...200).contains(title.count), "title", "invalid_value", "1 to 200 characters.")
            let checklist = (input.checklist ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
                !$0.isEmpty
            }
            validator.check(
                checklist.count <= 50 && checklist.allSatisfy { $0.count <= 200 }, "checklist", "invalid_value",
                "At most 50 items of at most 200 characters.")
            validator.check((1...500).contains(input.cells.count), "cells", "invalid_value", "1 to 500 grid cells.")
            validator.check(input.deadline > now, "deadline", "in_the_past", "The deadline must lie in the future.")
            var cells: [GridCell] = []
            for (index, key) in input.cells.prefix(500).enumerated() {
                var found = try await GridCellRepository().find(id: key, on: db)
                if found == nil { found = try await GridCellRepository().find(code: key, on: db) }
                guard let cell = found else {
                    validator.add(
                        FieldIssue(field: "cells[\(index)]", code: "unknown_cell", message: "No grid cell \(key)."))
                    continue
                }
                if !actor.canSee(path: cell.areaPath) {
                    validator.add(
                        FieldIssue(
                            field: "cells[\(index)]", code: "out_of_scope",
                            message: "Cell \(cell.code) lies outside your area."))
                } else if !cells.contains(where: { $0.id == cell.id }) {
                    cells.append(cell)
                }
            }
            let inspector = try await UserRepository().find(id: input.inspectorId, on: db)
            if let inspector {
                validator.check(
                    inspector.active && inspector.roles.contains(.inspector), "inspectorId", "not_an_inspector",
                    "\(inspector.displayName) is not an active inspector.")
                validator.check(
                    cells.allSatisfy { inspector.scope.contains(path: $0.areaPath) }, "inspectorId", "out_of_scope",
                    "Some cells lie outside \(inspector.displayName)'s area.")
            } else {
                validator.add(
                    FieldIssue(field: "inspectorId", code: "unknown_user", message: "No user \(input.inspectorId)."))
            }
            try validator.finish()
            guard let inspector else { throw DomainError.notFound("Inspector") }
            let calendar = try await CalendarRepository().current(on: db)
            let number = try await repository.nextNumber(
                day: LocalDate(dayNumber: calendar.localDayNumber(now)), on: db)
            let task = PatrolTask(
                id: Identifier.make(), number: number, title: title, checklist: checklist, cellIds: cells.map(\.id),
                areaPath: PatrolTask.commonPath(cells.map(\.areaPath)), inspectorId: inspector.id,
                inspectorName: inspector.displayName, createdBy: actor.id, createdAt: now, deadline: input.deadline)
            try await repository.insert(task, on: db)
            return task
        }
    }

    /// The active inspectors in the caller's scope, by name: whom a task can be given to.
    public func inspectors(by actor: Principal) async throws -> [PatrolInspector] {
        try await platform.pool.read { db in
            try await UserRepository().list(
                .init(scopePath: actor.listScope, role: .inspector, departmentId: nil),
                page: PageRequest(limit: PageRequest.maxLimit), on: db
            ).items
                .filter(\.active).sorted {
                    $0.areaPath == $1.areaPath ? $0.displayName < $1.displayName : $0.areaPath < $1.areaPath
                }
                .map {
                    PatrolInspector(id: $0.id, displayName: $0.displayName, areaId: $0.areaId, areaPath: $0.areaPath)
                }
        }
    }

    /// Tasks in the caller's scope; an inspector sees their own.
    public func tasks(openOnly: Bool, by actor: Principal) async throws -> [PatrolTask] {
        try await platform.pool.read { db in
            let own = actor.has(anyOf: Self.assigners.union([.leader])) ? nil : actor.id
            return try await repository.tasks(
                scope: actor.listScope, inspectorId: own, openOnly: openOnly, limit: 500, on: db)
        }
    }

    public func detail(id: String, by actor: Principal) async throws -> PatrolTaskDetail {
        try await platform.pool.read { db in
            let task = try await visibleTask(id, by: actor, on: db)
            return PatrolTaskDetail(
                task: task, checkIns: try await repository.checkIns(taskId: task.id, on: db),
                orders: try await SupervisionRepository().orders(scope: "/", taskId: task.id, limit: 100, on: db))
        }
    }

    /// The inspector checks a cell in where they stand.
    public func checkIn(taskId: String, _ input: NewPatrolCheckIn, by actor: Principal) async throws -> PatrolTask {
        let now = platform.now()
        return try await platform.write(
            actor, "patrol.checkIn", target: "patrolTask",
            summary: { (t: PatrolTask) in (t.id, "\(t.number) check-in") }
        ) { db in
            var task = try await ownOpenTask(taskId, by: actor, on: db)
            guard (-180...180).contains(input.lon), (-90...90).contains(input.lat) else {
                throw DomainError.validation([
                    FieldIssue(
                        field: "lon", code: "invalid_value", message: "A WGS-84 position: lon −180…180, lat −90…90.")
                ])
            }
            guard let cell = try await GridCellRepository().locate(GeoPoint(lon: input.lon, lat: input.lat), on: db),
                task.cellIds.contains(cell.id)
            else {
                throw DomainError(
                    .invalid, code: "outside_task_cells", "The position lies in none of the task's cells.",
                    issues: [
                        FieldIssue(
                            field: "lon", code: "outside_task_cells",
                            message: "Check in from inside a cell of the task.")
                    ])
            }
            let note = input.note?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (note?.count ?? 0) <= 1000 else {
                throw DomainError.validation([
                    FieldIssue(field: "note", code: "invalid_value", message: "At most 1000 characters.")
                ])
            }
            try await repository.insert(
                PatrolCheckIn(
                    id: Identifier.make(), taskId: task.id, cellId: cell.id, cellCode: cell.code,
                    lon: input.lon, lat: input.lat, at: now, by: actor.id, note: note?.isEmpty == true ? nil : note),
                on: db)
            if task.state == .assigned {
                task.state = .inProgress
                task.startedAt = now
                try await repository.update(task, on: db)
            }
            if !task.checkedCellIds.contains(cell.id) { task.checkedCellIds.append(cell.id) }
            return task
        }
    }

    /// The inspector finishes the task; cells left unchecked need a reason.
    public func complete(taskId: String, note: String?, by actor: Principal) async throws -> PatrolTask {
        let now = platform.now()
        return try await platform.write(
            actor, "patrol.complete", target: "patrolTask", summary: { (t: PatrolTask) in (t.id, "\(t.number) done") }
        ) { db in
            var task = try await ownOpenTask(taskId, by: actor, on: db)
            let note = try Self.note(
                note, required: task.coverage < 1, reason: "Say why some cells were not checked in.")
            task.state = .done
            task.completedAt = now
            task.note = note
            try await repository.update(task, on: db)
            return task
        }
    }

    /// Whoever assigns tasks in the area calls one off, with a reason.
    public func cancel(taskId: String, note: String?, by actor: Principal) async throws -> PatrolTask {
        let now = platform.now()
        return try await platform.write(
            actor, "patrol.cancel", target: "patrolTask",
            summary: { (t: PatrolTask) in (t.id, "\(t.number) cancelled") }
        ) { db in
            var task = try await visibleTask(taskId, by: actor, on: db)
            guard task.state.isOpen else {
                throw DomainError(.conflict, code: "invalid_state", "The task is \(task.state.rawValue).")
            }
            (task.state, task.completedAt, task.note) = (
                .cancelled, now, try Self.note(note, required: true, reason: "Say why the task is cancelled.")
            )
            try await repository.update(task, on: db)
            return task
        }
    }

    private static func note(_ text: String?, required: Bool, reason: String) throws -> String? {
        let note = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if note.isEmpty && required {
            throw DomainError.validation([FieldIssue(field: "note", code: "required", message: reason)])
        }
        guard note.count <= 1000 else {
            throw DomainError.validation([
                FieldIssue(field: "note", code: "invalid_value", message: "At most 1000 characters.")
            ])
        }
        return note.isEmpty ? nil : note
    }

    private func visibleTask(_ id: String, by actor: Principal, on db: any SQLDatabase) async throws -> PatrolTask {
        let task = try actor.found(try await repository.task(id: id, on: db), "Patrol task", in: \.areaPath)
        guard actor.has(anyOf: Self.assigners.union([.leader])) || task.inspectorId == actor.id else {
            throw DomainError.outOfScope()
        }
        return task
    }

    private func ownOpenTask(_ id: String, by actor: Principal, on db: any SQLDatabase) async throws -> PatrolTask {
        guard let task = try await repository.task(id: id, on: db) else { throw DomainError.notFound("Patrol task") }
        guard task.inspectorId == actor.id else {
            throw DomainError(.forbidden, code: "not_assignee", "Only the task's inspector checks in and finishes it.")
        }
        guard task.state.isOpen else {
            throw DomainError(.conflict, code: "invalid_state", "The task is \(task.state.rawValue).")
        }
        return task
    }
}

extension Platform {
    public var patrol: PatrolService { PatrolService(platform: self) }
}
