import ChengyunCore
import ChengyunServer
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What the public, citizens and machine keys receive is a view of its own: never another
/// person's name or contact, never staff names or notes. Attacked as an outsider would: find an
/// open case's position through Open311, report there, and read what comes back.
@Suite struct PublicViewTests {
    @Test func anAnonymousReportOnAnOpenCaseHandsOutNobodysContact() async throws {
        let (platform, credentials) = try await DemoFixture.shared.platform(.sqlite)
        try await testApplication(platform).test(.live) { client in
            let open = try #require(try await openRequest(client), "the demo city has open Open311 requests")
            let mine = "13900001111"
            let answer = try await client.call(
                .post, "/api/v1/public/reports",
                json: """
                    {"matterCode":"\(open.code)","description":"又看到了","lon":\(open.lon),"lat":\(open.lat),"reporterContact":"\(mine)"}
                    """)
            #expect(answer.status == .created, "\(answer.text)")
            let related =
                (answer.json["mergedInto"] as? [String: Any]) != nil
                || !((answer.json["possibleDuplicates"] as? [Any]) ?? []).isEmpty
            #expect(related, "the report should have met the open case: \(answer.text)")
            #expect(Self.phones(in: answer.text).subtracting([mine]).isEmpty, "other people's numbers: \(answer.text)")
            for leaked in [
                "reporterName", "reporterContact", "reporterId", "departmentIds", "stageClock", "assigneeId",
            ] {
                #expect(!answer.text.contains("\"\(leaked)\""), "\(leaked) in \(answer.text)")
            }

            // A machine key reporting at the same place gets the same kind of receipt.
            let byKey = try await client.call(
                .post, "/api/v1/cases",
                json: """
                    {"matterCode":"\(open.code)","description":"设备上报","lon":\(open.lon),"lat":\(open.lat)}
                    """, headers: [HTTPField.Name("X-API-Key")!: credentials.apiKey])
            #expect(byKey.status == .created, "\(byKey.text)")
            #expect(Self.phones(in: byKey.text).isEmpty && !byKey.text.contains("reporterContact"), "\(byKey.text)")
        }
    }

    @Test func aCitizenReadsTheirOwnReportWithoutOthersOrStaffNotes() async throws {
        let (platform, credentials) = try await DemoFixture.shared.platform(.sqlite)
        try await testApplication(platform).test(.router) { client in
            let login = try await client.call(
                .post, "/api/v1/citizen-session",
                json: #"{"phone":"\#(credentials.citizenPhone)","password":"\#(credentials.citizenPassword)"}"#)
            let token = try #require(login.json["token"] as? String)
            let reports = try await client.call(.get, "/api/v1/me/reports", token: token)
            let first = try #require((reports.json["items"] as? [[String: Any]])?.first?["id"] as? String)
            let detail = try await client.call(.get, "/api/v1/cases/\(first)", token: token)
            #expect(detail.status == .ok)
            #expect(detail.json["number"] as? String != nil && detail.json["state"] as? String != nil)
            for hidden in ["reporters", "events", "actorName", "allowedActions", "reporterContact"] {
                #expect(!detail.text.contains("\"\(hidden)\""), "\(hidden) in \(detail.text)")
            }
        }
    }

    @Test func publicReportsAreForThePublicOnly() async throws {
        let (platform, credentials) = try await DemoFixture.shared.platform(.sqlite)
        try await testApplication(platform).test(.router) { client in
            let cell = try await platform.organisation.listGridCells(
                areaId: nil, page: PageRequest(limit: 3), by: .system
            ).items[1]
            let point = cell.geometry.centroid
            let body =
                #"{"matterCode":"E0505","description":"乱停车","lon":\#(point.lon),"lat":\#(point.lat),"reporterContact":"13900002222"}"#
            let staff = try await client.login("intake", credentials.password(of: "intake"))
            let byStaff = try await client.call(.post, "/api/v1/public/reports", token: staff, json: body)
            #expect(byStaff.status == .forbidden && byStaff.problemCode == "not_public")
            let byKey = try await client.call(
                .post, "/api/v1/public/reports", json: body,
                headers: [HTTPField.Name("X-API-Key")!: credentials.apiKey])
            #expect(byKey.status == .forbidden && byKey.problemCode == "not_public")
            let urgent = try await client.call(
                .post, "/api/v1/public/reports",
                json: """
                    {"matterCode":"E0505","description":"乱停车","lon":\(point.lon),"lat":\(point.lat),"reporterContact":"13900002222","urgency":"urgent"}
                    """)
            #expect(urgent.status.code == 422)
            #expect(
                (urgent.json["errors"] as? [[String: Any]])?.contains {
                    $0["field"] as? String == "urgency" && $0["code"] as? String == "not_allowed"
                } == true)
        }
    }

    /// Mainland mobile numbers anywhere in a text.
    static func phones(in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: "(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
        let range = NSRange(text.startIndex..., in: text)
        return Set(
            regex.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    /// An open request from the public Open311 list, as an outsider finds it, of a matter the
    /// public can report without extra fields (the portal's own list says which).
    private func openRequest(_ client: some TestClientProtocol) async throws -> (
        code: String, lon: Double, lat: Double
    )? {
        let matters = try await client.call(.get, "/api/v1/public/matters")
        let plain = Set(
            ((matters.json["items"] as? [[String: Any]]) ?? []).compactMap { matter -> String? in
                let fields = (matter["customFields"] as? [[String: Any]]) ?? []
                return fields.contains { $0["required"] as? Bool == true } ? nil : matter["code"] as? String
            })
        let list = try await client.call(.get, "/open311/v2/requests.json?status=open")
        let items = (try? JSONSerialization.jsonObject(with: list.body)) as? [[String: Any]] ?? []
        for item in items {
            if let code = item["service_code"] as? String, plain.contains(code), let lon = item["long"] as? Double,
                let lat = item["lat"] as? Double
            {
                return (code, lon, lat)
            }
        }
        return nil
    }
}
