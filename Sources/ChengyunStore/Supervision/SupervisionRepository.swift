import ChengyunCore
import Foundation
import SQLKit

/// Warnings and supervision orders in the database.
struct SupervisionRepository: Sendable {
    // MARK: Warnings

    func openWarning(key: String, on db: any SQLDatabase) async throws -> Warning? {
        try await db.select().column("*").from("warnings").where("key", .equal, key).where(
            "resolved_at", .is, SQLLiteral.null
        )
        .first().map(Self.warning)
    }

    func warning(id: String, on db: any SQLDatabase) async throws -> Warning? {
        try await db.select().column("*").from("warnings").where("id", .equal, id).first().map(Self.warning)
    }

    func openWarnings(kind: Warning.Kind, on db: any SQLDatabase) async throws -> [Warning] {
        try await db.select().column("*").from("warnings").where("kind", .equal, kind.rawValue).where(
            "resolved_at", .is, SQLLiteral.null
        )
        .all().map(Self.warning)
    }

    func insert(_ w: Warning, on db: any SQLDatabase) async throws {
        try await db.insert(into: "warnings")
            .columns(
                "id", "key", "kind", "level", "target_type", "target_id", "area_path", "department_id", "title",
                "detail",
                "raised_at", "updated_at", "resolved_at"
            )
            .values(
                SQLBind(w.id), SQLBind(w.key), SQLBind(w.kind.rawValue), SQLBind(w.level.rawValue),
                SQLBind(w.targetType),
                SQLBind(w.targetId), SQLBind(w.areaPath), SQLBind(w.departmentId), SQLBind(w.title), SQLBind(w.detail),
                SQLBind(w.raisedAt), SQLBind(w.updatedAt), SQLBind(w.resolvedAt)
            )
            .run()
    }

    func update(_ w: Warning, on db: any SQLDatabase) async throws {
        try await db.update("warnings").set("level", to: w.level.rawValue).set("detail", to: w.detail).set(
            "title", to: w.title
        )
        .set("department_id", to: w.departmentId).set("updated_at", to: w.updatedAt).set(
            "resolved_at", to: w.resolvedAt
        )
        .set("case_id", to: w.caseId)
        .where("id", .equal, w.id).run()
    }

    /// Warnings in an area (newest first), only one department's when given, only open ones when asked.
    func warnings(scope: String, departmentId: String?, openOnly: Bool, limit: Int, on db: any SQLDatabase) async throws
        -> [Warning]
    {
        var query = db.select().column("*").from("warnings").where("area_path", .like, scope + "%")
        if let departmentId { query = query.where("department_id", .equal, departmentId) }
        if openOnly { query = query.where("resolved_at", .is, SQLLiteral.null) }
        return try await query.orderBy("raised_at", .descending).limit(limit).all().map(Self.warning)
    }

    private static func warning(_ row: any SQLRow) throws -> Warning {
        var warning = Warning(
            id: try row.decode(column: "id", as: String.self), key: try row.decode(column: "key", as: String.self),
            kind: try row.decode(column: "kind", as: Warning.Kind.self),
            level: try row.decode(column: "level", as: AlarmSeverity.self),
            targetType: try row.decode(column: "target_type", as: String.self),
            targetId: try row.decode(column: "target_id", as: String.self),
            areaPath: try row.decode(column: "area_path", as: String.self),
            departmentId: try row.decode(column: "department_id", as: String?.self),
            title: try row.decode(column: "title", as: String.self),
            detail: try row.decode(column: "detail", as: String.self),
            raisedAt: try row.decode(column: "raised_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self),
            resolvedAt: try row.decode(column: "resolved_at", as: Int64?.self))
        warning.caseId = try row.decode(column: "case_id", as: String?.self)
        return warning
    }

    // MARK: Supervision orders

    func insert(_ o: SupervisionOrder, on db: any SQLDatabase) async throws {
        try await db.insert(into: "supervision_orders")
            .columns(
                "id", "number", "case_id", "case_number", "task_id", "task_number", "assignee_id", "area_path",
                "department_ids",
                "issued_by", "issued_by_name", "automatic", "issued_at", "deadline", "letter", "state",
                "incident_task_id"
            )
            .values(
                SQLBind(o.id), SQLBind(o.number), SQLBind(o.caseId), SQLBind(o.caseNumber), SQLBind(o.taskId),
                SQLBind(o.taskNumber),
                SQLBind(o.assigneeId), SQLBind(o.areaPath),
                SQLBind("," + o.departmentIds.joined(separator: ",") + ","), SQLBind(o.issuedBy),
                SQLBind(o.issuedByName),
                SQLBind(o.automatic ? 1 : 0), SQLBind(o.issuedAt), SQLBind(o.deadline), SQLBind(o.letter),
                SQLBind(o.state.rawValue), SQLBind(o.incidentTaskId)
            )
            .run()
    }

    func update(_ o: SupervisionOrder, on db: any SQLDatabase) async throws {
        try await db.update("supervision_orders").set("state", to: o.state.rawValue).set("read_at", to: o.readAt).set(
            "read_by", to: o.readBy
        )
        .set("response", to: o.response).set("responded_at", to: o.respondedAt).set("responded_by", to: o.respondedBy)
        .where("id", .equal, o.id).run()
    }

    func order(id: String, on db: any SQLDatabase) async throws -> SupervisionOrder? {
        try await db.select().column("*").from("supervision_orders").where("id", .equal, id).first().map(Self.order)
    }

    /// Orders in an area, newest first; narrowed to a case, a task, a department's, a person's, or
    /// unanswered ones.
    func orders(
        scope: String, caseId: String? = nil, taskId: String? = nil, incidentTaskId: String? = nil,
        departmentId: String? = nil,
        assigneeId: String? = nil,
        unansweredOnly: Bool = false, limit: Int, on db: any SQLDatabase
    ) async throws -> [SupervisionOrder] {
        var query = db.select().column("*").from("supervision_orders").where("area_path", .like, scope + "%")
        if let caseId { query = query.where("case_id", .equal, caseId) }
        if let taskId { query = query.where("task_id", .equal, taskId) }
        if let incidentTaskId { query = query.where("incident_task_id", .equal, incidentTaskId) }
        if let assigneeId { query = query.where("assignee_id", .equal, assigneeId) }
        if let departmentId { query = query.where("department_ids", .like, "%," + departmentId + ",%") }
        if unansweredOnly { query = query.where("state", .notEqual, SupervisionOrder.State.responded.rawValue) }
        return try await query.orderBy("issued_at", .descending).limit(limit).all().map(Self.order)
    }

    /// Whether an order on the subject is still unanswered (a second is not issued automatically).
    func hasUnansweredOrder(on subject: SupervisionSubject, on db: any SQLDatabase) async throws -> Bool {
        let (caseId, taskId, incidentTaskId): (String?, String?, String?) =
            switch subject {
            case .case(let id, _): (id, nil, nil)
            case .patrolTask(let id, _, _): (nil, id, nil)
            case .incidentTask(let id, _, _): (nil, nil, id)
            }
        return try await !orders(
            scope: "/", caseId: caseId, taskId: taskId, incidentTaskId: incidentTaskId, unansweredOnly: true, limit: 1,
            on: db
        ).isEmpty
    }

    /// The next number of a local day: DB + yyyymmdd + a three-digit sequence, drawn from the
    /// gap-free sequence table (safe when two orders are issued at once). Numbers counted out
    /// before the table was used for orders are skipped.
    func nextNumber(day: LocalDate, on db: any SQLDatabase) async throws -> String {
        let prefix = "DB" + day.description.replacingOccurrences(of: "-", with: "")
        var next = try await CaseRepository().nextSequence(prefix: prefix, on: db)
        if next == 1 {
            let earlier =
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(
                    "supervision_orders"
                )
                .where("number", .like, prefix + "%").first()?.decode(column: "n", as: Int.self) ?? 0
            for _ in 0..<earlier { next = try await CaseRepository().nextSequence(prefix: prefix, on: db) }
        }
        return prefix + String(format: "%03d", next)
    }

    private static func order(_ row: any SQLRow) throws -> SupervisionOrder {
        var order = SupervisionOrder(
            id: try row.decode(column: "id", as: String.self),
            number: try row.decode(column: "number", as: String.self),
            caseId: try row.decode(column: "case_id", as: String?.self),
            caseNumber: try row.decode(column: "case_number", as: String?.self),
            areaPath: try row.decode(column: "area_path", as: String.self),
            departmentIds: try row.decode(column: "department_ids", as: String.self).split(separator: ",").map(
                String.init),
            issuedBy: try row.decode(column: "issued_by", as: String.self),
            issuedByName: try row.decode(column: "issued_by_name", as: String.self),
            automatic: try row.decode(column: "automatic", as: Int.self) != 0,
            issuedAt: try row.decode(column: "issued_at", as: Int64.self),
            deadline: try row.decode(column: "deadline", as: Int64.self),
            letter: try row.decode(column: "letter", as: String.self),
            state: try row.decode(column: "state", as: SupervisionOrder.State.self))
        order.taskId = try row.decode(column: "task_id", as: String?.self)
        order.taskNumber = try row.decode(column: "task_number", as: String?.self)
        order.incidentTaskId = try row.decode(column: "incident_task_id", as: String?.self)
        order.assigneeId = try row.decode(column: "assignee_id", as: String?.self)
        order.readAt = try row.decode(column: "read_at", as: Int64?.self)
        order.readBy = try row.decode(column: "read_by", as: String?.self)
        order.response = try row.decode(column: "response", as: String?.self)
        order.respondedAt = try row.decode(column: "responded_at", as: Int64?.self)
        order.respondedBy = try row.decode(column: "responded_by", as: String?.self)
        return order
    }
}
