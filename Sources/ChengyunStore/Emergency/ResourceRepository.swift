import ChengyunCore
import Foundation
import SQLKit

/// Emergency resources and their status changes in the database; capabilities as JSON text.
struct ResourceRepository: Sendable {
    func insert(_ r: EmergencyResource, on db: any SQLDatabase) async throws {
        try await db.insert(into: "emergency_resources")
            .columns(
                "id", "code", "name", "kind", "capabilities", "home_lon", "home_lat", "lon", "lat", "status",
                "area_id", "area_path", "department_id", "team_id", "tracker_device_id", "created_at", "updated_at"
            )
            .values(
                SQLBind(r.id), SQLBind(r.code), SQLBind(r.name), SQLBind(r.kind.rawValue),
                SQLBind(try Self.json(r.capabilities)), SQLBind(r.home.lon), SQLBind(r.home.lat),
                SQLBind(r.position.lon), SQLBind(r.position.lat), SQLBind(r.status.rawValue), SQLBind(r.areaId),
                SQLBind(r.areaPath), SQLBind(r.departmentId), SQLBind(r.teamId), SQLBind(r.trackerDeviceId),
                SQLBind(r.createdAt),
                SQLBind(r.updatedAt)
            )
            .run()
    }

    /// Moves the resource from `expected` to its new status and position. Only one of two writers
    /// racing from the same status wins: the loser's update finds no row in that status.
    func move(_ r: EmergencyResource, from expected: ResourceStatus, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw(
            """
            UPDATE emergency_resources SET status = \(bind: r.status.rawValue), lon = \(bind: r.position.lon),
                lat = \(bind: r.position.lat), updated_at = \(bind: r.updatedAt)
            WHERE id = \(bind: r.id) AND status = \(bind: expected.rawValue) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    func insertEvent(
        resource: EmergencyResource, event: ResourceEvent, from: ResourceStatus, actorId: String, note: String?,
        on db: any SQLDatabase
    ) async throws {
        try await db.insert(into: "emergency_resource_events")
            .columns("id", "resource_id", "event", "from_status", "to_status", "actor_id", "note", "at")
            .values(
                SQLBind(Identifier.make(at: resource.updatedAt)), SQLBind(resource.id), SQLBind(event.rawValue),
                SQLBind(from.rawValue), SQLBind(resource.status.rawValue), SQLBind(actorId), SQLBind(note),
                SQLBind(resource.updatedAt)
            )
            .run()
    }

    /// The resources a vehicle terminal tracks take its position (a monitoring turn's transaction).
    func follow(tracker deviceId: String, to position: GeoPoint, at now: Int64, on db: any SQLDatabase) async throws {
        try await db.update("emergency_resources").set("lon", to: position.lon).set("lat", to: position.lat)
            .set("updated_at", to: now).where("tracker_device_id", .equal, deviceId).run()
    }

    /// A team's members, by code.
    func members(of teamId: String, on db: any SQLDatabase) async throws -> [EmergencyResource] {
        try await db.select().column("*").from("emergency_resources").where("team_id", .equal, teamId)
            .orderBy("code").all().map(Self.resource)
    }

    /// By id or by code.
    func find(_ key: String, on db: any SQLDatabase) async throws -> EmergencyResource? {
        try await db.select().column("*").from("emergency_resources").where("id", .equal, key)
            .orWhere("code", .equal, key).first().map(Self.resource)
    }

    /// Resources in an area and below, by code; of one kind or status when asked.
    func list(scope: String, kind: ResourceKind?, status: ResourceStatus?, on db: any SQLDatabase) async throws
        -> [EmergencyResource]
    {
        var query = db.select().column("*").from("emergency_resources").where("area_path", .like, scope + "%")
        if let kind { query = query.where("kind", .equal, kind.rawValue) }
        if let status { query = query.where("status", .equal, status.rawValue) }
        return try await query.orderBy("code").all().map(Self.resource)
    }

    static func resource(_ row: any SQLRow) throws -> EmergencyResource {
        EmergencyResource(
            id: try row.decode(column: "id", as: String.self), code: try row.decode(column: "code", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            kind: try row.decode(column: "kind", as: ResourceKind.self),
            capabilities: try JSONDecoder().decode(
                [String].self, from: Data(try row.decode(column: "capabilities", as: String.self).utf8)),
            home: GeoPoint(
                lon: try row.decode(column: "home_lon", as: Double.self),
                lat: try row.decode(column: "home_lat", as: Double.self)),
            position: GeoPoint(
                lon: try row.decode(column: "lon", as: Double.self), lat: try row.decode(column: "lat", as: Double.self)
            ),
            status: try row.decode(column: "status", as: ResourceStatus.self),
            areaId: try row.decode(column: "area_id", as: String.self),
            areaPath: try row.decode(column: "area_path", as: String.self),
            departmentId: try row.decode(column: "department_id", as: String?.self),
            teamId: try row.decode(column: "team_id", as: String?.self),
            trackerDeviceId: try row.decode(column: "tracker_device_id", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self))
    }

    static func json(_ values: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
    }
}
