import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A street inspector (平江街道) cannot read another street's (沧浪街道) data through any route.
/// The routes are enumerated from the router itself: a new GET route that this test does not
/// know how to probe makes it fail until it is added here.
@Suite struct ScopeTests {
    @Test(arguments: TestBackend.available) func aStreetInspectorSeesOnlyTheirStreet(backend: TestBackend) async throws
    {
        try await withDemoClient(backend) { client, credentials, platform in
            let inspector = try await client.login(
                "inspector.pingjiang", credentials.password(of: "inspector.pingjiang"))
            let me = try await client.call(.get, "/api/v1/me", token: inspector)
            let scopePath = try #require(me.json["areaPath"] as? String)

            // Records of the other street, looked up with the platform's own (unscoped) principal.
            let canglang = try await platform.pool.read { try await AreaRepository().find(code: "320508002", on: $0) }!
            let canglangCells = try await platform.organisation.listGridCells(
                areaId: nil, page: PageRequest(limit: 500), by: .system
            )
            .items.filter { $0.areaPath.hasPrefix(canglang.path) }
            let foreignCell = try #require(canglangCells.first)
            let cityDepartment = try await platform.organisation.listDepartments(
                kind: .sanitation, page: PageRequest(), by: .system
            )
            .items.first { !$0.areaPath.hasPrefix(scopePath) }!
            let foreignCase = try await platform.cases.report(
                NewReport(
                    matterCode: "C0118", description: "沧浪街道路灯不亮", lon: foreignCell.geometry.centroid.lon,
                    lat: foreignCell.geometry.centroid.lat), by: .system
            ).case
            let foreignDevice = try await platform.devices.register(
                NewDevice(
                    code: "scope-" + Identifier.make(), kindCode: "lamp_pole", name: "沧浪街道灯杆",
                    lon: foreignCell.geometry.centroid.lon,
                    lat: foreignCell.geometry.centroid.lat), by: .system)
            _ = try await platform.telemetry.ingest(
                [
                    IncomingReading(
                        line: 1, device: foreignDevice.code, at: platform.now(),
                        values: [("alarm_button", 1)])
                ], by: .system)
            let foreignAlarm = try #require(
                try await platform.alarms.list(.init(deviceId: foreignDevice.id), page: PageRequest(), by: .system)
                    .items.first)
            let foreignEngine = try await platform.emergency.register(
                NewEmergencyResource(
                    code: "scope-" + Identifier.make(), name: "沧浪消防车", kind: .vehicle, capabilities: ["fire"],
                    lon: foreignCell.geometry.centroid.lon, lat: foreignCell.geometry.centroid.lat, areaId: canglang.id),
                by: .system)
            let foreignIncident = try await platform.incidents.open(
                NewIncident(
                    title: "沧浪燃气泄漏", incidentType: "gas_leak", lon: foreignCell.geometry.centroid.lon,
                    lat: foreignCell.geometry.centroid.lat, areaId: canglang.id), by: .system)
            let foreignIds = [
                "/api/v1/emergency/resources/{id}": foreignEngine.id,
                "/api/v1/emergency/resources/{id}/stock": foreignEngine.id,
                "/api/v1/emergency/incidents/{id}": foreignIncident.id,
                "/api/v1/emergency/incidents/{id}/review": foreignIncident.id,
                "/api/v1/risk-map/cells/{id}/changes": foreignCell.id,
                "/api/v1/devices/{id}": foreignDevice.id, "/api/v1/devices/{id}/latest": foreignDevice.id,
                "/api/v1/alarms/{id}": foreignAlarm.id, "/api/v1/cases/{id}": foreignCase.id,
                "/api/v1/areas/{id}": canglang.id, "/api/v1/grid-cells/{id}": foreignCell.id,
                "/api/v1/departments/{id}": cityDepartment.id, "/api/v1/users/{id}": "any",
                "/api/v1/api-keys/{id}": "any",
            ]

            for route in registeredRoutes(platform) where route.method == "GET" && route.path.hasPrefix("/api/v1/") {
                if let id = foreignIds[route.path] {
                    let answer = try await client.call(
                        .get, route.path.replacingOccurrences(of: "{id}", with: id), token: inspector)
                    #expect(
                        [.forbidden, .notFound].contains(answer.status), "GET \(route.path) leaked: \(answer.status)")
                } else if Self.lists.contains(route.path) {
                    let answer = try await client.call(.get, route.path + "?limit=500", token: inspector)
                    for item in answer.json["items"] as? [[String: Any]] ?? [] {
                        let path = (item["path"] ?? item["areaPath"]) as? String ?? ""
                        #expect(
                            path.hasPrefix(scopePath), "GET \(route.path) listed \(item["code"] ?? "?") outside scope")
                    }
                } else if route.path == "/api/v1/cases/{id}/attachments/{attachmentId}" {
                    let answer = try await client.call(
                        .get, "/api/v1/cases/\(foreignCase.id)/attachments/any", token: inspector)
                    #expect(answer.status == .forbidden, "a file of another street's case")
                } else if route.path == "/api/v1/emergency/incidents/{id}/attachments/{attachmentId}" {
                    let answer = try await client.call(
                        .get, "/api/v1/emergency/incidents/\(foreignIncident.id)/attachments/any", token: inspector)
                    #expect([.forbidden, .notFound].contains(answer.status), "a file of another street's incident")
                } else if route.path == "/api/v1/devices/{id}/series" {
                    let answer = try await client.call(
                        .get, "/api/v1/devices/\(foreignDevice.id)/series?metric=alarm_button", token: inspector)
                    #expect(answer.status == .forbidden, "the readings of another street's device")
                } else if route.path == "/api/v1/monitoring/stream" {
                    // Scoping of the stream itself: TelemetryRoutesTests.
                    #expect(try await client.call(.get, route.path + "?max=0", token: inspector).status == .ok)
                } else if route.path == "/api/v1/cases.csv" {
                    let answer = try await client.call(.get, route.path, token: inspector)
                    #expect(
                        answer.status == .ok && !answer.text.contains(foreignCase.number),
                        "the export leaked another street's case")
                } else if [
                    "/api/v1/warnings", "/api/v1/supervision-orders", "/api/v1/patrol-tasks",
                    "/api/v1/patrol-tasks/inspectors", "/api/v1/warning-subscriptions",
                ].contains(route.path) {
                    let answer = try await client.call(.get, route.path + "?open=false", token: inspector)
                    for item in answer.json["items"] as? [[String: Any]] ?? [] {
                        #expect(
                            (item["areaPath"] as? String ?? "").hasPrefix(scopePath),
                            "GET \(route.path) listed something outside scope")
                    }
                } else if route.path == "/api/v1/supervision-orders/{id}" {
                    let order = try await platform.supervision.issue(
                        NewSupervisionOrder(caseId: foreignCase.id, note: nil), by: .system)
                    #expect(
                        [.forbidden, .notFound].contains(
                            try await client.call(.get, "/api/v1/supervision-orders/\(order.id)", token: inspector)
                                .status))
                    #expect(
                        try await client.call(.post, "/api/v1/supervision-orders/\(order.id)/read", token: inspector)
                            .status == .forbidden)
                } else if route.path == "/api/v1/patrol-tasks/{id}" {
                    let canglangInspector = try #require(
                        try await platform.pool.read {
                            try await UserRepository().findWithHash(username: "inspector.canglang", on: $0)
                        }?.user)
                    let task = try await platform.patrol.create(
                        NewPatrolTask(
                            title: "沧浪巡查", cells: [foreignCell.id], inspectorId: canglangInspector.id,
                            deadline: platform.now() + 3_600_000), by: .system)
                    #expect(
                        [.forbidden, .notFound].contains(
                            try await client.call(.get, "/api/v1/patrol-tasks/\(task.number)", token: inspector).status)
                    )
                    let checkIn = try await client.call(
                        .post, "/api/v1/patrol-tasks/\(task.id)/check-ins", token: inspector,
                        json:
                            #"{"lon":\#(foreignCell.geometry.centroid.lon),"lat":\#(foreignCell.geometry.centroid.lat)}"#
                    )
                    #expect(checkIn.status == .forbidden, "another street's inspector checked in on a task not theirs")
                } else if route.path == "/api/v1/emergency/nearest" {
                    // Dispatchers' (their scope: EmergencyResourceTests); an inspector is refused.
                    let centre = foreignCell.geometry.centroid
                    let answer = try await client.call(
                        .get, "\(route.path)?lon=\(centre.lon)&lat=\(centre.lat)", token: inspector)
                    #expect(answer.status == .forbidden)
                } else if route.path == "/api/v1/risk-map" {
                    let answer = try await client.call(.get, route.path + "?category=gas", token: inspector)
                    #expect(answer.status == .ok)
                    for item in answer.json["items"] as? [[String: Any]] ?? [] {
                        #expect(
                            (item["areaPath"] as? String ?? "").hasPrefix(scopePath),
                            "the risk map showed another street")
                    }
                } else if ["/api/v1/emergency/tasks", "/api/v1/emergency/crews"].contains(route.path) {
                    // A department's own tasks and crews: an inspector belongs to none and gets none.
                    let answer = try await client.call(.get, route.path, token: inspector)
                    #expect(answer.status == .ok && (answer.json["items"] as? [Any])?.isEmpty == true)
                } else if ["/api/v1/emergency/statistics", "/api/v1/supervision/policy"].contains(route.path) {
                    // Not an inspector's (the figures' scope: IncidentStatisticsTests).
                    #expect(try await client.call(.get, route.path, token: inspector).status == .forbidden)
                } else if route.path.hasPrefix("/api/v1/evaluation") || route.path.hasPrefix("/api/v1/indicators")
                    || route.path == "/api/v1/cases/forecast"
                {
                    // Leaders' figures; the indicators' area scope: IndicatorServiceTests and IndicatorRoutesTests.
                    #expect(try await client.call(.get, route.path, token: inspector).status == .forbidden)
                } else if route.path == "/api/v1/cases/queue" {
                    try await Self.probeQueue(client: client, token: inspector, scopePath: scopePath)
                } else if route.path == "/api/v1/cockpit" {
                    let answer = try await client.call(.get, route.path, token: inspector)
                    #expect(answer.status == .ok)
                    let shown = Set(
                        (answer.json["markers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                    #expect(
                        !shown.contains(foreignCase.id) && !shown.contains(foreignAlarm.id),
                        "the cockpit showed another street's case or alarm")
                    let cells = (answer.json["cells"] as? [[String: Any]] ?? []).compactMap {
                        $0["gridCellId"] as? String
                    }
                    #expect(!cells.contains(foreignCell.id), "the cockpit coloured another street's cell")
                } else if ["/api/v1/dispatch/models", "/api/v1/dispatch/policy"].contains(route.path) {
                    // The dispatch model's figures and policy are the centre's (DispatchRoutesTests).
                    #expect(try await client.call(.get, route.path, token: inspector).status == .forbidden)
                } else if route.path == "/api/v1/cases/{id}/dispatch-advice" {
                    // Not an inspector's; a dispatcher's scope: DispatchRoutesTests.
                    let answer = try await client.call(
                        .get, "/api/v1/cases/\(foreignCase.id)/dispatch-advice", token: inspector)
                    #expect(answer.status == .forbidden)
                } else if route.path == "/api/v1/grid-cells/locate" {
                    let centre = foreignCell.geometry.centroid
                    let answer = try await client.call(
                        .get, "\(route.path)?lon=\(centre.lon)&lat=\(centre.lat)", token: inspector)
                    #expect(answer.status == .notFound, "locate revealed a cell of another street")
                } else if route.path.contains("/access-") || route.path.contains("/subscriptions") {
                    try await Self.probeExchange(route.path, client: client, token: inspector, platform: platform)
                } else if route.path.hasPrefix("/api/v1/video/") {
                    try await Self.probeVideo(route.path, client: client, token: inspector, scopePath: scopePath)
                } else if Self.unscoped.contains(route.path) {
                    let answer = try await client.call(
                        .get, route.path.replacingOccurrences(of: "{id}", with: "X"), token: inspector)
                    #expect(answer.status != .internalServerError)
                    if route.path.hasPrefix("/api/v1/audit") || route.path == "/api/v1/cluster" {
                        #expect(answer.status == .forbidden)
                    }
                } else {
                    Issue.record("GET \(route.path) is not covered by the scope test: add how to probe it")
                }
            }
            // The inspector does see their own street's cells.
            let own = try await client.call(.get, "/api/v1/grid-cells?limit=500", token: inspector)
            #expect((own.json["items"] as? [Any])?.count == 35)
        }
    }
}
