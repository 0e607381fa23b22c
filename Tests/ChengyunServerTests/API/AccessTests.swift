import ChengyunCore
import ChengyunServer
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every route's access rule, driven by the roles the OpenAPI document declares (`x-roles`), so
/// the document and the behaviour cannot drift apart.
@Suite struct AccessTests {
    struct Operation {
        var method: String
        var path: String
        var roles: [String]
    }

    static func operations() throws -> [Operation] {
        let document = try JSONSerialization.jsonObject(with: OpenAPIDocument.data()) as! [String: Any]
        let paths = document["paths"] as! [String: [String: Any]]
        return paths.flatMap { path, methods in
            methods.compactMap { method, operation in
                (operation as? [String: Any])?["x-roles"].map {
                    Operation(method: method.uppercased(), path: path, roles: $0 as! [String])
                }
            }
        }
    }

    /// A concrete URL for an operation: ids are the admin's own city-level records.
    static func url(_ path: String, ids: [String: String]) -> String {
        var url = path
        for (prefix, id) in ids where url.hasPrefix(prefix) { url = url.replacingOccurrences(of: "{id}", with: id) }
        url = url.replacingOccurrences(of: "/indicators/{code}", with: "/indicators/city.clean.pm25")
        url = url.replacingOccurrences(of: "/datasets/{code}", with: "/datasets/waste-sorting-points")
        if url.hasSuffix("/locate") { url += "?lon=120.5625&lat=31.2765" }
        if url.hasSuffix("/series") { url += "?metric=open" }
        if url.hasSuffix("/stream") { url += "?max=0" }
        if url.hasSuffix("/emergency/nearest") { url += "?lon=120.5625&lat=31.2765&capability=fire" }
        if url.hasSuffix("/risk-map") { url += "?category=gas" }
        if url.hasSuffix("/matter-suggestions") { url += "?text=%E8%B7%AF%E7%81%AF" }
        return url
    }

    @Test(arguments: TestBackend.available) func anonymousCallersGet401OnEveryProtectedRoute(backend: TestBackend)
        async throws
    {
        try await withDemoClient(backend) { client, _, _ in
            for operation in try Self.operations() where !operation.roles.contains("public") {
                let answer = try await client.call(
                    .init(operation.method)!, operation.path.replacingOccurrences(of: "{id}", with: "X"),
                    json: operation.method == "GET" || operation.method == "DELETE" ? nil : "{}")
                #expect(answer.status == .unauthorized, "\(operation.method) \(operation.path)")
                #expect(answer.problemCode == "unauthenticated")
            }
        }
    }

    @Test(arguments: TestBackend.available) func staffRolesOutsideARoutesRolesGet403(backend: TestBackend) async throws
    {
        try await withDemoClient(backend) { client, credentials, _ in
            let cityUsers = [
                "inspector": "inspector.pingjiang", "intake": "intake", "supervisor": "supervisor",
                "dispatcher": "dispatcher", "handler": "handler.sanitation", "leader": "leader", "admin": "admin",
            ]
            var tokens: [String: String] = [:]
            for (role, username) in cityUsers {
                tokens[role] = try await client.login(username, credentials.password(of: username))
            }
            for operation in try Self.operations()
            where !operation.roles.contains("public") && !operation.roles.contains("authenticated") {
                for (role, token) in tokens where !operation.roles.contains(role) {
                    let answer = try await client.call(
                        .init(operation.method)!, operation.path.replacingOccurrences(of: "{id}", with: "X"),
                        token: token, json: operation.method == "GET" || operation.method == "DELETE" ? nil : "{}")
                    #expect(
                        answer.status == .forbidden,
                        "\(role) on \(operation.method) \(operation.path): \(answer.status)")
                    #expect(answer.problemCode == "forbidden")
                }
            }
        }
    }

    @Test(arguments: TestBackend.available) func allowedRolesCanReadEveryGetRoute(backend: TestBackend) async throws {
        try await withDemoClient(backend) { client, credentials, platform in
            let admin = try await client.login("admin", credentials.password(of: "admin"))
            let firstId = { (path: String) async throws -> String in
                let list = try await client.call(.get, path, token: admin)
                return ((list.json["items"] as? [[String: Any]])?.first?["id"] as? String) ?? "none"
            }
            // A case to read: reported by the platform in the demo city.
            let somewhere = try await platform.organisation.listGridCells(
                areaId: nil, page: PageRequest(limit: 1), by: .system
            ).items[0]
            let lamp = try await platform.cases.report(
                NewReport(
                    matterCode: "C0118", description: "路灯不亮", lon: somewhere.geometry.centroid.lon,
                    lat: somewhere.geometry.centroid.lat), by: .system
            ).case
            let caseId =
                (try await client.call(.get, "/api/v1/cases", token: admin).json["items"] as? [[String: Any]])?.first?[
                    "id"] as? String
            let device = try await platform.devices.register(
                NewDevice(
                    code: "access-" + Identifier.make(), kindCode: "manhole_cover", name: "井盖",
                    lon: somewhere.geometry.centroid.lon, lat: somewhere.geometry.centroid.lat),
                by: .system)
            // An alarm to read: the cover opens.
            _ = try await platform.telemetry.ingest(
                [IncomingReading(line: 1, device: device.code, at: platform.now(), values: [("open", 1)])], by: .system)
            let order = try await platform.supervision.issue(
                NewSupervisionOrder(caseId: lamp.id, note: nil), by: .system)
            let pingjiang = try #require(
                try await platform.pool.read {
                    try await UserRepository().findWithHash(username: "inspector.pingjiang", on: $0)
                }?.user)
            let cell = try #require(
                try await platform.organisation.listGridCells(areaId: nil, page: PageRequest(limit: 500), by: .system)
                    .items
                    .first { $0.areaPath.hasPrefix(pingjiang.areaPath) })
            let task = try await platform.patrol.create(
                NewPatrolTask(
                    title: "巡查", cells: [cell.id], inspectorId: pingjiang.id,
                    deadline: platform.now() + 3_600_000), by: .system)
            let engine = try await platform.emergency.register(
                NewEmergencyResource(
                    code: "access-" + Identifier.make(), name: "消防车", kind: .vehicle, capabilities: ["fire"],
                    lon: somewhere.geometry.centroid.lon, lat: somewhere.geometry.centroid.lat, areaId: somewhere.areaId
                ),
                by: .system)
            let incident = try #require(try await platform.incidents.list(status: nil, drill: nil, by: .system).first)
            // A pull to read (no schedule runs under the test router, so nothing is fetched).
            _ = try await client.call(
                .put, "/api/v1/datasets/waste-sorting-points/pull", token: admin,
                json: #"{"url":"http://127.0.0.1:9/points.csv","format":"csv","intervalMinutes":10080}"#)
            let ids = [
                "/api/v1/emergency/resources": engine.id, "/api/v1/emergency/incidents": incident.id,
                "/api/v1/emergency/plans": "gas-leak",
                "/api/v1/risk-map/cells": try await firstId("/api/v1/grid-cells"),
                "/api/v1/supervision-orders": order.id, "/api/v1/patrol-tasks": task.id,
                "/api/v1/cases": caseId ?? "none", "/api/v1/areas": try await firstId("/api/v1/areas"),
                "/api/v1/grid-cells": try await firstId("/api/v1/grid-cells"),
                "/api/v1/departments": try await firstId("/api/v1/departments"),
                "/api/v1/users": try await firstId("/api/v1/users"),
                "/api/v1/api-keys": try await firstId("/api/v1/api-keys"),
                "/api/v1/access-applications": try await firstId("/api/v1/access-applications?view=overseen"),
                "/api/v1/subscriptions": try #require(
                    (try await client.call(.post, "/api/v1/subscriptions", token: admin, json: #"{"topic":"incident"}"#)
                        .json["subscription"] as? [String: Any])?["id"] as? String),
                "/api/v1/matters": try await firstId("/api/v1/matters"),
                "/api/v1/devices": device.id,
                "/ngsi-ld/v1/entities": "urn:ngsi-ld:Device:\(device.code)",
                "/ngsi-ld/v1/subscriptions": try #require(
                    try await client.call(
                        .post, "/ngsi-ld/v1/subscriptions", token: admin,
                        json:
                            #"{"entities":[{"type":"Alarm"}],"notification":{"endpoint":{"uri":"http://127.0.0.1:9/n"}}}"#
                    ).json["id"] as? String),
                "/api/v1/alarms": try await firstId("/api/v1/alarms"),
                "/api/v1/alarm-rules": try await firstId("/api/v1/alarm-rules"),
                "/api/v1/video/detections": try await firstId("/api/v1/video/detections?state=pending"),
            ]
            // A registered service's calls go on to its upstream (ServiceGatewayTests); the demo has none.
            for operation in try Self.operations()
            where operation.method == "GET" && operation.roles.contains("admin")
                && !operation.path.hasSuffix("/call/**")
            {
                let answer = try await client.call(.get, Self.url(operation.path, ids: ids), token: admin)
                #expect(
                    answer.status == .ok, "admin on GET \(operation.path): \(answer.status) \(answer.text.prefix(200))")
            }
            _ = platform
        }
    }
}
