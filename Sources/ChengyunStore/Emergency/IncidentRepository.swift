import ChengyunCore
import Foundation
import SQLKit

/// Incidents and what hangs off them: tasks, notices, resource requests, assigned resources and
/// the append-only log. Lists, facts and positions are flattened into columns here.
struct IncidentRepository: Sendable {
    func insert(_ incident: Incident, on db: any SQLDatabase) async throws {
        try await db.insert(into: "incidents").model(try IncidentRow(incident), with: rowEncoder).run()
    }

    /// Writes the incident's new state when nobody changed it since `previous`; false otherwise.
    func update(_ incident: Incident, from previous: Incident, on db: any SQLDatabase) async throws -> Bool {
        let columns = try changedColumns(try IncidentRow(incident), from: try IncidentRow(previous))
        guard !columns.isEmpty else { return true }
        var query = db.update("incidents").where("id", .equal, incident.id)
            .where("updated_at", .equal, previous.updatedAt)
        for (column, value) in columns { query = query.set(SQLIdentifier(column), to: value) }
        let rows = try await query.returning("id").all()
        return !rows.isEmpty
    }

    /// By id or number.
    func find(_ key: String, on db: any SQLDatabase) async throws -> Incident? {
        try await db.select().column("*").from("incidents").where("id", .equal, key).orWhere("number", .equal, key)
            .first(decoding: IncidentRow.self, with: rowDecoder)?.incident()
    }

    /// Incidents in scope, newest first; of a status, and with or without drills, when asked.
    func list(scope: String, status: IncidentStatus?, drill: Bool?, limit: Int, on db: any SQLDatabase) async throws
        -> [Incident]
    {
        var query = db.select().column("*").from("incidents").where("area_path", .like, scope + "%")
        if let status { query = query.where("status", .equal, status.rawValue) }
        if let drill { query = query.where("drill", .equal, drill ? 1 : 0) }
        return try await query.orderBy("reported_at", .descending).limit(limit)
            .all(decoding: IncidentRow.self, with: rowDecoder).map { try $0.incident() }
    }

    /// Incidents in scope reported at or after `from` and before `to`, drills with them.
    func reported(scope: String, from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [Incident] {
        try await db.select().column("*").from("incidents").where("area_path", .like, scope + "%")
            .where("reported_at", .greaterThanOrEqual, from).where("reported_at", .lessThan, to)
            .orderBy("reported_at").all(decoding: IncidentRow.self, with: rowDecoder).map { try $0.incident() }
    }

    /// The tasks of these incidents, by incident id, in one query.
    func tasks(ofIncidents ids: [String], on db: any SQLDatabase) async throws -> [String: [IncidentTask]] {
        guard !ids.isEmpty else { return [:] }
        let tasks = try await db.select().column("*").from("incident_tasks").where("incident_id", .in, ids)
            .orderBy("created_at").orderBy("id").all(decoding: TaskRow.self, with: rowDecoder).map { try $0.task() }
        return Dictionary(grouping: tasks, by: \.incidentId)
    }

    func insert(_ tasks: [IncidentTask], on db: any SQLDatabase) async throws {
        guard !tasks.isEmpty else { return }
        try await db.insert(into: "incident_tasks").models(try tasks.map(TaskRow.init), with: rowEncoder).run()
    }

    func update(_ task: IncidentTask, from previous: IncidentTask, on db: any SQLDatabase) async throws -> Bool {
        let columns = try changedColumns(try TaskRow(task), from: try TaskRow(previous))
        guard !columns.isEmpty else { return true }
        var query = db.update("incident_tasks").where("id", .equal, task.id)
            .where("updated_at", .equal, previous.updatedAt)
        for (column, value) in columns { query = query.set(SQLIdentifier(column), to: value) }
        return !(try await query.returning("id").all()).isEmpty
    }

    func tasks(of incidentId: String, on db: any SQLDatabase) async throws -> [IncidentTask] {
        try await db.select().column("*").from("incident_tasks").where("incident_id", .equal, incidentId)
            .orderBy("created_at").orderBy("id").all(decoding: TaskRow.self, with: rowDecoder).map { try $0.task() }
    }

    /// Open tasks owned by a department, in incidents within `scope`, soonest due first.
    func openTasks(department: String, scope: String, on db: any SQLDatabase) async throws -> [IncidentTask] {
        try await db.raw(
            """
            SELECT t.* FROM incident_tasks t JOIN incidents i ON i.id = t.incident_id
            WHERE i.area_path LIKE \(bind: scope + "%") AND i.status = 'active'
              AND t.status IN ('assigned', 'accepted', 'inProgress', 'blocked')
              AND t.department_ids LIKE \(bind: "%\"" + department + "\"%")
            ORDER BY t.deadline, t.id
            """
        ).all(decoding: TaskRow.self, with: rowDecoder).map { try $0.task() }
    }

    /// The tasks the supervision sweep watches: reached their owners and not done, in active
    /// incidents.
    func supervisedTasks(on db: any SQLDatabase) async throws -> [SupervisedIncidentTask] {
        let rows = try await db.raw(
            """
            SELECT t.*, i.number AS incident_number, i.area_path AS incident_area_path
            FROM incident_tasks t JOIN incidents i ON i.id = t.incident_id
            WHERE i.status = 'active' AND t.status IN ('assigned', 'accepted', 'inProgress', 'blocked')
            ORDER BY t.deadline, t.id
            """
        ).all()
        return try rows.map { row in
            SupervisedIncidentTask(
                task: try row.decode(model: TaskRow.self, with: rowDecoder).task(),
                incidentNumber: try row.decode(column: "incident_number", as: String.self),
                areaPath: try row.decode(column: "incident_area_path", as: String.self))
        }
    }

    func insert(_ notices: [IncidentNotice], on db: any SQLDatabase) async throws {
        guard !notices.isEmpty else { return }
        try await db.insert(into: "incident_notices").models(notices, with: rowEncoder).run()
    }

    func notices(of incidentId: String, on db: any SQLDatabase) async throws -> [IncidentNotice] {
        try await db.select().column("*").from("incident_notices").where("incident_id", .equal, incidentId)
            .orderBy("at").orderBy("id").all(decoding: IncidentNotice.self, with: rowDecoder)
    }

    func insert(_ requests: [ResourceRequest], on db: any SQLDatabase) async throws {
        guard !requests.isEmpty else { return }
        try await db.insert(into: "incident_resource_requests").models(requests, with: rowEncoder).run()
    }

    func requests(of incidentId: String, on db: any SQLDatabase) async throws -> [ResourceRequest] {
        try await db.select().column("*").from("incident_resource_requests")
            .where("incident_id", .equal, incidentId).orderBy("at").orderBy("id")
            .all(decoding: ResourceRequest.self, with: rowDecoder)
    }

    /// Counts one more resource against a request.
    func countAssigned(request id: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE incident_resource_requests SET assigned = assigned + 1 WHERE id = \(bind: id)").run()
    }

    func attach(resource id: String, to incidentId: String, request: String?, at now: Int64, on db: any SQLDatabase)
        async throws
    {
        try await db.insert(into: "incident_resources").columns(
            "incident_id", "resource_id", "request_id", "assigned_at"
        )
        .values(SQLBind(incidentId), SQLBind(id), SQLBind(request), SQLBind(now)).run()
    }

    /// The incident a resource was last assigned to, if ever.
    func currentIncident(of resourceId: String, on db: any SQLDatabase) async throws -> String? {
        try await db.select().column("incident_id").from("incident_resources").where("resource_id", .equal, resourceId)
            .orderBy("assigned_at", .descending).limit(1).first()?.decode(column: "incident_id", as: String.self)
    }

    /// A department's resources within `scope` at work on an incident (assigned to returning), by
    /// code, each with the incident it was last assigned to.
    func committedResources(department: String, scope: String, on db: any SQLDatabase) async throws
        -> [(EmergencyResource, String)]
    {
        try await db.raw(
            """
            SELECT r.*, a.incident_id AS assigned_incident FROM emergency_resources r
            JOIN incident_resources a ON a.resource_id = r.id
            WHERE r.department_id = \(bind: department) AND r.area_path LIKE \(bind: scope + "%")
              AND r.status IN ('assigned', 'enRoute', 'onScene', 'returning')
              AND a.assigned_at = (SELECT MAX(b.assigned_at) FROM incident_resources b WHERE b.resource_id = r.id)
            ORDER BY r.code
            """
        ).all().map {
            (try ResourceRepository.resource($0), try $0.decode(column: "assigned_incident", as: String.self))
        }
    }

    /// The resources ever assigned to an incident, by id.
    func resources(of incidentId: String, on db: any SQLDatabase) async throws -> [EmergencyResource] {
        try await db.raw(
            """
            SELECT r.* FROM emergency_resources r WHERE r.id IN
                (SELECT a.resource_id FROM incident_resources a WHERE a.incident_id = \(bind: incidentId))
            ORDER BY r.id
            """
        ).all().map(ResourceRepository.resource)
    }

    /// Appends to the log in order, numbering the entries after the last one. The caller's
    /// transaction has changed the incident's row first, so two writers cannot number alike.
    func append(_ entries: [IncidentLogEntry], on db: any SQLDatabase) async throws -> [IncidentLogEntry] {
        guard let first = entries.first else { return [] }
        let last =
            try await db.raw(
                "SELECT MAX(seq) AS seq FROM incident_log WHERE incident_id = \(bind: first.incidentId)"
            ).first()?.decode(column: "seq", as: Int?.self) ?? 0
        let numbered = entries.enumerated().map { index, entry in
            var entry = entry
            entry.seq = last + index + 1
            return entry
        }
        try await db.insert(into: "incident_log").models(numbered, with: rowEncoder).run()
        return numbered
    }

    func log(of incidentId: String, on db: any SQLDatabase) async throws -> [IncidentLogEntry] {
        try await db.select().column("*").from("incident_log").where("incident_id", .equal, incidentId)
            .orderBy("seq").all(decoding: IncidentLogEntry.self, with: rowDecoder)
    }
}
