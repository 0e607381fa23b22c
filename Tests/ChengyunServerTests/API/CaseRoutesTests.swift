import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One case walked through the HTTP API by the demo city's own users.
@Suite struct CaseRoutesTests {
    @Test(arguments: TestBackend.available) func aCaseWalksTheLoopOverHTTP(backend: TestBackend) async throws {
        try await withDemoClient(backend) { client, credentials, platform in
            var tokens: [String: String] = [:]
            for user in [
                "inspector.pingjiang", "supervisor", "handler.gusu.sanitation", "handler.sanitation", "dispatcher",
                "admin",
            ] {
                tokens[user] = try await client.login(user, credentials.password(of: user))
            }
            // A point inside 平江街道: the centroid of one of its cells.
            let pingjiang = try await platform.pool.read { try await AreaRepository().find(code: "320508001", on: $0) }!
            let cell = try await platform.organisation.listGridCells(
                areaId: nil, page: PageRequest(limit: 500), by: .system
            ).items
                .first { $0.areaPath.hasPrefix(pingjiang.path) }!
            let reported = try await client.call(
                .post, "/api/v1/cases", token: tokens["inspector.pingjiang"],
                json: """
                    {"matterCode":"E0102","description":"平江路口暴露垃圾","lon":\(cell.geometry.centroid.lon),"lat":\(cell.geometry.centroid.lat),"address":"平江路"}
                    """)
            #expect(reported.status == .created, "\(reported.text)")
            let caseJSON = try #require(reported.json["case"] as? [String: Any])
            let id = try #require(caseJSON["id"] as? String)
            #expect(caseJSON["state"] as? String == "filing")

            let early = try await client.call(
                .post, "/api/v1/cases/\(id)/actions", token: tokens["supervisor"], json: #"{"action":"close"}"#)
            #expect(early.status == .conflict && early.problemCode == "invalid_transition")
            let wrongRole = try await client.call(
                .post, "/api/v1/cases/\(id)/actions", token: tokens["dispatcher"], json: #"{"action":"file"}"#)
            #expect(wrongRole.status == .forbidden && wrongRole.problemCode == "action_not_allowed")

            let filed = try await client.call(
                .post, "/api/v1/cases/\(id)/actions", token: tokens["supervisor"], json: #"{"action":"file"}"#)
            #expect(filed.json["state"] as? String == "handling", "auto-dispatched to 姑苏区's sanitation unit")
            let notTheirs = try await client.call(
                .post, "/api/v1/cases/\(id)/actions", token: tokens["handler.sanitation"],
                json: #"{"action":"complete","note":"x"}"#)
            #expect(notTheirs.problemCode == "not_your_case")
            let queue = try await client.call(.get, "/api/v1/cases/queue", token: tokens["handler.gusu.sanitation"])
            #expect(
                (queue.json["items"] as? [[String: Any]])?.contains {
                    ($0["case"] as? [String: Any])?["id"] as? String == id
                } == true)
            let done = try await client.call(
                .post, "/api/v1/cases/\(id)/actions", token: tokens["handler.gusu.sanitation"],
                json: #"{"action":"complete","note":"已清运，现场整洁"}"#)
            #expect(done.json["state"] as? String == "checking")
            _ = try await client.call(
                .post, "/api/v1/cases/\(id)/actions", token: tokens["inspector.pingjiang"], json: #"{"action":"pass"}"#)
            let closed = try await client.call(
                .post, "/api/v1/cases/\(id)/actions", token: tokens["supervisor"], json: #"{"action":"close"}"#)
            #expect(closed.json["state"] as? String == "closed")

            let detail = try await client.call(.get, "/api/v1/cases/\(id)", token: tokens["supervisor"])
            // The loop's own steps. The demo city is shared by the tests running beside this one, and
            // a report another makes at the same spot meanwhile may merge in (duplicate_merged).
            let events = (detail.json["events"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
                .filter { $0 != "duplicate_merged" }
            #expect(events == ["report", "file", "dispatch", "complete", "pass", "close"])
            #expect((detail.json["matter"] as? [String: Any])?["closingCondition"] as? String != nil)
            let search = try await client.call(.get, "/api/v1/cases?state=closed&q=平江路口", token: tokens["supervisor"])
            #expect((search.json["items"] as? [[String: Any]])?.count == 1)
            let badState = try await client.call(.get, "/api/v1/cases?state=open", token: tokens["supervisor"])
            #expect(badState.problemCode == "validation_failed")

            // The CSV export streams every match, header first, with a byte-order mark for spreadsheets.
            let number = try #require(caseJSON["number"] as? String)
            let csv = try await client.call(.get, "/api/v1/cases.csv?state=closed", token: tokens["supervisor"])
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.first?.hasPrefix("\u{FEFF}number,state,matter_code") == true)
            #expect(lines.contains { $0.hasPrefix("\(number),closed,E0102,暴露垃圾") })
            #expect(
                lines.count - 1
                    == (try await platform.cases.search(
                        {
                            var f = CaseRepository.Filter(scopePath: nil); f.states = [.closed]; return f
                        }(),
                        page: PageRequest(limit: 500), by: .system
                    ).items.count))

            let evaluation = try await client.call(.get, "/api/v1/evaluation", token: tokens["supervisor"])
            #expect(evaluation.status == .ok)
            let departments = try #require(evaluation.json["departments"] as? [[String: Any]])
            #expect(departments.count == 23)
            #expect(departments.contains { $0["name"] as? String == "姑苏区环境卫生管理所" && $0["grade"] is String })
            let table = try await client.call(.get, "/api/v1/evaluation.csv?group=streets", token: tokens["supervisor"])
            #expect(table.text.split(separator: "\r\n").count == 13, "a header and the 12 streets")
            #expect(
                try await client.call(.get, "/api/v1/evaluation.csv?group=planets", token: tokens["supervisor"])
                    .problemCode == "invalid_parameter")

            // The weights are read by those who read the evaluation and set by administrators.
            let weights = try await client.call(.get, "/api/v1/evaluation/weights", token: tokens["supervisor"])
            #expect(weights.json["department"] as? [Double] == [10, 30, 30, 30])
            #expect(
                try await client.call(
                    .put, "/api/v1/evaluation/weights", token: tokens["supervisor"], json: weights.text
                ).status == .forbidden)
            func document(department: String) -> String {
                #"{"inspector":[40,20,20,20],"intake":[25,40,35],"supervisor":[25,40,35],"dispatcher":[20,40,40],"department":\#(department),"area":[20,30,30,20],"volumeBands":null}"#
            }
            let unbalanced = document(department: "[10,30,30,31]")
            let refused = try await client.call(
                .put, "/api/v1/evaluation/weights", token: tokens["admin"], json: unbalanced)
            #expect(refused.problemCode == "validation_failed" && refused.text.contains("department"))
            // Storing the same document again leaves the shared demo's evaluation as it was.
            let stored = try await client.call(
                .put, "/api/v1/evaluation/weights", token: tokens["admin"], json: document(department: "[10,30,30,30]"))
            #expect(stored.status == .ok && stored.json["area"] as? [Double] == [20, 30, 30, 20])
        }
    }

    @Test(arguments: TestBackend.available) func anonymousCitizensReportWithAContact(backend: TestBackend) async throws
    {
        try await withDemoClient(backend) { client, _, platform in
            let cell = try await platform.organisation.listGridCells(
                areaId: nil, page: PageRequest(limit: 3), by: .system
            ).items[2]
            let point = cell.geometry.centroid
            let noContact = try await client.call(
                .post, "/api/v1/public/reports",
                json: """
                    {"matterCode":"E0505","description":"人行道上乱停车","lon":\(point.lon),"lat":\(point.lat)}
                    """)
            #expect(noContact.status.code == 422)
            #expect((noContact.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "reporterContact")
            let answer = try await client.call(
                .post, "/api/v1/public/reports",
                json: """
                    {"matterCode":"E0505","description":"人行道上乱停车","lon":\(point.lon),"lat":\(point.lat),"reporterContact":"13911112222","customFields":{"plate_number":"苏E12345"}}
                    """)
            #expect(answer.status == .created)
            #expect((answer.json["case"] as? [String: Any])?["source"] as? String == "citizen")
            let outside = try await client.call(
                .post, "/api/v1/public/reports",
                json: """
                    {"matterCode":"E0505","description":"x","lon":116.4,"lat":39.9,"reporterContact":"13911112222"}
                    """)
            #expect((outside.json["errors"] as? [[String: Any]])?.first?["code"] as? String == "outside_grid")
        }
    }
}
