import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Device kinds and registration: one at a time and from CSV, where good lines stay and each bad
/// line is reported with its reason.
@Suite struct DevicesRoutesTests {
    @Test(arguments: TestBackend.available) func kindsAndDevicesAreRegistered(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            _ = try await platform.people.createUser(
                NewUser(
                    username: "admin.x", displayName: "管理员", password: AuthFixtures.password,
                    roles: [.admin], areaId: f.city.id), by: .system)
            _ = try await platform.people.createUser(
                NewUser(
                    username: "inspector.b", displayName: "沧浪巡查员", password: AuthFixtures.password,
                    roles: [.inspector], areaId: f.streetB.id), by: .system)
            try await testApplication(platform).test(.router) { client in
                let admin = try await client.login("admin.x", AuthFixtures.password)
                let inspectorB = try await client.login("inspector.b", AuthFixtures.password)

                // Every kind of docs/domain.md §7 ships, with its metrics and units.
                let kinds = try await client.call(.get, "/api/v1/device-kinds", token: inspectorB)
                let items = try #require(kinds.json["items"] as? [[String: Any]])
                #expect(
                    Set(items.compactMap { $0["code"] as? String }) == [
                        "manhole_cover", "gas", "water_supply", "heating", "bridge",
                        "public_toilet", "lamp_pole", "muck_truck", "environment", "vehicle_terminal", "camera",
                    ])
                let environment = try #require(items.first { $0["code"] as? String == "environment" })
                #expect(
                    (environment["metrics"] as? [[String: Any]])?.contains {
                        $0["key"] as? String == "pm25" && $0["unit"] as? String == "µg/m³"
                    } == true)

                // Administrators add kinds; codes are unique, built-in ones included.
                let noise =
                    #"{"code":"noise_station","name":"噪声监测站","nameEn":"Noise station","metrics":[{"key":"leq","name":"等效声级","unit":"dB(A)"}],"tracksPosition":false,"builtIn":true}"#
                let added = try await client.call(.post, "/api/v1/device-kinds", token: admin, json: noise)
                #expect(added.status == .created && added.json["builtIn"] as? Bool == false)
                #expect(
                    try await client.call(.post, "/api/v1/device-kinds", token: admin, json: noise).problemCode
                        == "duplicate_code")
                let clash = noise.replacingOccurrences(of: "noise_station", with: "gas")
                #expect(
                    try await client.call(.post, "/api/v1/device-kinds", token: admin, json: clash).problemCode
                        == "duplicate_code")
                let badCode = noise.replacingOccurrences(of: "noise_station", with: "Noise Station")
                #expect(
                    try await client.call(.post, "/api/v1/device-kinds", token: admin, json: badCode).problemCode
                        == "validation_failed")

                // CSV: one good line per street, then an unknown kind, a position outside the city,
                // a bad longitude, a code already used and a department nobody has.
                let (a, b) = (CaseFixture.pointA, CaseFixture.pointB)
                let csv = """
                    code,kind,name,lon,lat,component_code,department\r
                    LP-001,lamp_pole,平江路灯杆1,\(a.lon),\(a.lat),3205080101000001,D-GUSU-SAN\r
                    NS-001,noise_station,沧浪噪声站,\(b.lon),\(b.lat),,\r
                    XX-001,teleporter,传送门,\(a.lon),\(a.lat),,\r
                    LP-002,lamp_pole,北京的灯杆,116.4,39.9,,\r
                    LP-003,lamp_pole,坐标错误,east,31.3,,\r
                    LP-001,lamp_pole,重复编号,\(a.lon),\(a.lat),,\r
                    LP-004,lamp_pole,未知单位,\(a.lon),\(a.lat),,D-NOWHERE\r

                    """
                let answer = try await client.execute(
                    uri: "/api/v1/devices/import", method: .post,
                    headers: [.authorization: "Bearer \(admin)", .contentType: "text/csv"],
                    body: ByteBuffer(string: csv)
                ) { HTTPAnswer(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body)) }
                #expect(answer.status == .ok, "\(answer.text)")
                let report = try answer.decode(DeviceImportReport.self)
                #expect(report.created == 2)
                #expect(report.rejected.map(\.line) == [4, 5, 6, 7, 8])
                #expect(
                    report.rejected.map { $0.issues?.first?.code ?? $0.code } == [
                        "unknown_kind", "outside_grid", "invalid_position", "duplicate_code", "unknown_department",
                    ])
                let notCSV = try await client.call(.post, "/api/v1/devices/import", token: admin, json: "[]")
                #expect(notCSV.status.code == 415 && notCSV.problemCode == "unsupported_media_type")

                // Each device sits in the grid cell holding it; a street's inspector sees their street's only.
                let seen = try await client.call(.get, "/api/v1/devices", token: inspectorB)
                let devices = try #require(seen.json["items"] as? [[String: Any]])
                #expect(devices.map { $0["code"] as? String } == ["NS-001"])
                #expect(
                    devices.first?["gridCellId"] as? String == f.cellB.id
                        && devices.first?["state"] as? String == "offline")
                let all = try await client.call(.get, "/api/v1/devices?kind=lamp_pole", token: admin)
                let lamp = try #require((all.json["items"] as? [[String: Any]])?.first)
                #expect(
                    lamp["componentCode"] as? String == "3205080101000001"
                        && lamp["departmentId"] as? String == f.districtSanitation.id)
                let id = try #require(lamp["id"] as? String)
                #expect(try await client.call(.get, "/api/v1/devices/\(id)", token: admin).status == .ok)
                #expect(try await client.call(.get, "/api/v1/devices/\(id)", token: inspectorB).status == .forbidden)
                #expect(
                    try await client.call(.get, "/api/v1/devices?state=broken", token: admin).problemCode
                        == "invalid_parameter")
            }
        }
    }
}
