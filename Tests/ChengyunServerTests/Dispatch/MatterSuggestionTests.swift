import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Reporting in plain words over HTTP, on a city of its own: the public categories, the matters
/// the model suggests for a description (the 12345 form's suggestion as the operator types), a
/// citizen's report under a category given the model's matter, and the intake operator's
/// correction at acceptance.
@Suite struct MatterSuggestionTests {
    @Test(arguments: TestBackend.available) func aCitizensWordsAreGivenAMatterTheOperatorMayCorrect(
        backend: TestBackend
    ) async throws {
        // The lessons are reported at one spot: no duplicate check here.
        var settings = testSettings()
        settings.duplicates.mode = .off
        try await withPlatform(backend, settings: settings) { platform in
            let f = try await CaseFixture.make(platform)
            for (username, role) in [("admin", Role.admin), ("intake", .intake), ("inspector", .inspector)] {
                _ = try await platform.people.createUser(
                    NewUser(
                        username: username, displayName: username, password: AuthFixtures.password, roles: [role],
                        areaId: f.city.id), by: .system)
            }
            let lights = try #require(try await platform.matters.all().first { $0.code == "C0118" })
            // Filed cases are the lessons: two of garbage, two of street lights.
            for (matter, text) in [
                (f.garbage, "路边垃圾堆积很多"), (f.garbage, "垃圾桶满了没人清运"), (lights, "路灯不亮了"), (lights, "这一排路灯晚上不亮"),
            ] {
                let record = try await platform.cases.report(
                    NewReport(
                        matterId: matter.id, description: text, lon: CaseFixture.pointA.lon, lat: CaseFixture.pointA.lat
                    ),
                    by: f.staff(.inspector, in: f.streetA)
                ).case
                _ = try await platform.cases.act(caseId: record.id, CaseActionInput(.file), by: f.staff(.supervisor))
            }
            _ = try await platform.dispatch.train(trigger: "demand", by: .system)

            try await testApplication(platform).test(.router) { client in
                let categories = try await client.call(.get, "/api/v1/public/categories")
                let items = categories.json["items"] as? [[String: Any]] ?? []
                let garbage = try #require(items.first { $0["code"] as? String == "garbage" })
                #expect(((garbage["matters"] as? [[String: Any]])?.first?["code"] as? String) == "E0102")
                #expect(items.count >= 10, "a dozen categories: \(items.map { $0["code"] ?? "" })")
                // A matter with a field the citizen must fill in says so (a category report fills in none).
                let roads = (items.first { $0["code"] as? String == "roads" }?["matters"] as? [[String: Any]]) ?? []
                let collapse = roads.first { $0["code"] as? String == "E0401" }
                #expect(collapse?["requiredFields"] as? [String] == ["size"])

                let intake = try await client.login("intake", AuthFixtures.password)
                let inspector = try await client.login("inspector", AuthFixtures.password)
                func suggest(_ text: String, _ extra: String = "", token: String) async throws -> HTTPAnswer {
                    let query = text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
                    return try await client.call(.get, "/api/v1/matter-suggestions?text=\(query)\(extra)", token: token)
                }
                let typed = try await suggest("路灯坏了", token: intake)
                let first = (typed.json["suggestions"] as? [[String: Any]])?.first?["matter"] as? [String: Any]
                #expect(typed.status == .ok && first?["code"] as? String == "C0118", "\(typed.text)")
                #expect(typed.json["modelVersion"] as? Int == 1)
                let inCategory = try await suggest("路灯坏了", "&category=garbage", token: intake)
                let codes = (inCategory.json["suggestions"] as? [[String: Any]] ?? []).compactMap {
                    ($0["matter"] as? [String: Any])?["code"] as? String
                }
                #expect(codes.allSatisfy { PublicCategory.find("garbage")!.matterCodes.contains($0) } && !codes.isEmpty)
                let unknown = try await suggest("路灯", "&category=nope", token: intake)
                #expect(unknown.status.code == 422 && unknown.isProblem)
                #expect(try await client.call(.get, "/api/v1/matter-suggestions", token: intake).status == .badRequest)
                #expect(try await suggest("路灯", token: inspector).status == .forbidden)

                // A citizen names the category and says what is wrong; the model gives the matter.
                let reported = try await client.call(
                    .post, "/api/v1/public/reports",
                    json: """
                        {"category":"lights","description":"晚上路灯一直不亮","lon":\(CaseFixture.pointB.lon),"lat":\(CaseFixture.pointB.lat),"reporterContact":"13900001234"}
                        """)
                #expect(reported.status == .created, "\(reported.text)")
                let number = try #require((reported.json["case"] as? [String: Any])?["number"] as? String)
                #expect(number.hasPrefix("C0118"))
                let detail = try await platform.cases.detail(id: number, by: .system)
                let record = detail.case
                let proposal = try #require(detail.events.first?.detail)
                #expect(proposal.contains(#""category":"lights""#) && proposal.contains(#""proposedBy":"model v1""#))

                // The intake operator corrects it at acceptance.
                let accepted = try await client.call(
                    .post, "/api/v1/cases/\(record.id)/actions", token: intake,
                    json: #"{"action":"accept","matterId":"\#(f.garbage.id)"}"#)
                #expect(accepted.status == .ok, "\(accepted.text)")
                let corrected = try await platform.cases.detail(id: record.id, by: .system)
                #expect(corrected.case.matterCode == "E0102" && corrected.case.state == .verifying)
                #expect(corrected.events.last?.detail?.contains(#""reclassifiedFrom":"C0118""#) == true)
                let unknownCategory = try await client.call(
                    .post, "/api/v1/public/reports",
                    json: #"{"category":"nope","description":"x","lon":120.6,"lat":31.3,"reporterContact":"1"}"#)
                #expect(unknownCategory.status.code == 422 && unknownCategory.isProblem)

                // The model knows a road collapse, but a category report cannot fill in its size:
                // it gets the category's usual matter rather than a refusal.
                let collapsed = try await platform.cases.report(
                    NewReport(
                        matterId: f.roadCollapse.id, description: "路面塌陷出现大坑", lon: CaseFixture.pointA.lon,
                        lat: CaseFixture.pointA.lat, customFields: ["size": "small"]),
                    by: f.staff(.inspector, in: f.streetA)
                ).case
                _ = try await platform.cases.act(caseId: collapsed.id, CaseActionInput(.file), by: f.staff(.supervisor))
                _ = try await platform.dispatch.train(trigger: "demand", by: .system)
                let road = try await client.call(
                    .post, "/api/v1/public/reports",
                    json: """
                        {"category":"roads","description":"路面塌陷出现一个大坑","lon":\(CaseFixture.pointB.lon),"lat":\(CaseFixture.pointB.lat),"reporterContact":"13900005678"}
                        """)
                let roadNumber = (road.json["case"] as? [String: Any])?["number"] as? String ?? ""
                #expect(road.status == .created && !roadNumber.hasPrefix("E0401"), "\(road.text)")
            }
        }
    }
}
