import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The indicator routes: the tree with values for the caller's area, refusals that point at the
/// formula's line and column, area scope, imported figures and the forecast with its back-test.
@Suite struct IndicatorRoutesTests {
    @Test(arguments: TestBackend.available) func leadersReadAndAdministratorsConfigureTheTree(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            for (name, roles, area) in [
                ("admin.x", [Role.admin], f.city), ("leader.x", [.leader], f.city), ("leader.b", [.leader], f.streetB),
                ("inspector.x", [.inspector], f.streetA),
            ] {
                _ = try await platform.people.createUser(
                    NewUser(
                        username: name, displayName: name, password: AuthFixtures.password,
                        roles: roles, areaId: area.id), by: .system)
            }
            try await testApplication(platform).test(.router) { client in
                let admin = try await client.login("admin.x", AuthFixtures.password)
                let leader = try await client.login("leader.x", AuthFixtures.password)
                let streetLeader = try await client.login("leader.b", AuthFixtures.password)
                let inspector = try await client.login("inspector.x", AuthFixtures.password)

                let report = try await client.call(.get, "/api/v1/indicators", token: leader)
                #expect(report.status == .ok && report.json["areaId"] as? String == f.city.id)
                let readings = try #require(report.json["readings"] as? [[String: Any]])
                #expect(readings.count == (try IndicatorService.defaultTree()).count)
                #expect(try await client.call(.get, "/api/v1/indicators", token: inspector).status == .forbidden)
                // A street's leader reads the street, not the city.
                #expect(
                    try await client.call(.get, "/api/v1/indicators?areaId=\(f.city.id)", token: streetLeader).status
                        == .forbidden)
                #expect(
                    try await client.call(.get, "/api/v1/indicators", token: streetLeader).json["areaId"] as? String
                        == f.streetB.id)

                // A formula that does not read is refused at its place.
                let broken =
                    #"{"indicators":[{"code":"a","name":"A","unit":"","period":"day","direction":"higherIsWorse","thresholds":{},"source":{"type":"formula","formula":"1 +\n (2 * x"}}]}"#
                let refused = try await client.call(.put, "/api/v1/indicators/tree", token: admin, json: broken)
                #expect(refused.status == .unprocessableContent && refused.problemCode == "validation_failed")
                let issue = try #require((refused.json["errors"] as? [[String: Any]])?.first)
                #expect(
                    issue["field"] as? String == "indicators[0].source.formula"
                        && issue["code"] as? String == "unexpected_end")
                #expect((issue["message"] as? String)?.hasPrefix("line 2, column 8") == true, "\(issue)")
                #expect(
                    try await client.call(.put, "/api/v1/indicators/tree", token: leader, json: broken).status
                        == .forbidden)

                // A daily figure put in for six weeks, then forecast.
                let tree =
                    #"{"indicators":[{"code":"calls","name":"来电","unit":"件","period":"day","direction":"higherIsWorse","thresholds":{"yellow":120},"source":{"type":"imported"}}]}"#
                #expect(try await client.call(.put, "/api/v1/indicators/tree", token: admin, json: tree).status == .ok)
                let start = Instant.parse("2026-10-05T12:00:00+08:00")!
                let items = (0..<42).map {
                    #"{"areaId":"\#(f.city.id)","at":\#(start + Int64($0) * 86_400_000),"value":\#([130, 110, 100, 100, 95, 60, 50][$0 % 7])}"#
                }
                let put = try await client.call(
                    .post, "/api/v1/indicators/calls/values", token: admin,
                    json: #"{"items":[\#(items.joined(separator: ","))]}"#)
                #expect(
                    put.status == .ok
                        && (put.json["items"] as? [[String: Any]])?.first?["colour"] as? String == "yellow")
                let forecast = try await client.call(.get, "/api/v1/indicators/calls/forecast?horizon=7", token: leader)
                #expect(forecast.status == .ok && (forecast.json["points"] as? [Any])?.count == 7)
                #expect((forecast.json["backtest"] as? [String: Any])?["mape"] as? Double ?? 100 < 5)
                let history = try await client.call(.get, "/api/v1/indicators/calls/history?limit=10", token: leader)
                #expect((history.json["items"] as? [Any])?.count == 10)
                #expect(
                    try await client.call(.get, "/api/v1/indicators/nothing/history", token: leader).status == .notFound
                )
                #expect(try await client.call(.post, "/api/v1/indicators/compute", token: leader).status == .ok)

                // Figures from a file: good lines kept, each bad one reported with its line.
                let file =
                    "area_code,at,value\n320500,2026-11-16,140\n999999,2026-11-17,1\n320500,yesterday,2\n320500,2026-11-18,many\n320500,1795400000000,90\n"
                func csv(_ text: String) async throws -> HTTPAnswer {
                    try await client.execute(
                        uri: "/api/v1/indicators/calls/values.csv", method: .post,
                        headers: [.authorization: "Bearer \(admin)", .contentType: "text/csv"],
                        body: ByteBuffer(string: text)
                    ) { HTTPAnswer(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body)) }
                }
                let imported = try await csv(file)
                #expect(imported.status == .ok && imported.json["accepted"] as? Int == 2, "\(imported.text)")
                let rejected = try #require(imported.json["rejected"] as? [[String: Any]])
                #expect(
                    rejected.map { "\($0["line"] ?? "?"):\($0["code"] ?? "?")" } == [
                        "3:unknown_area", "4:invalid_time", "5:invalid_value",
                    ])
                let noHeader = try await csv("320500,2026-11-16,1\n")
                #expect(noHeader.status == .unprocessableContent && noHeader.problemCode == "validation_failed")
            }
        }
    }
}
