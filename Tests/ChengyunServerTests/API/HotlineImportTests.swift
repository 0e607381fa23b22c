import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct HotlineImportTests {
    @Test(arguments: TestBackend.available) func goodLinesBecomeCasesAndBadLinesAreReported(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            _ = try await platform.people.createUser(
                NewUser(
                    username: "intake.x", displayName: "受理员", password: AuthFixtures.password,
                    roles: [.intake], areaId: f.city.id), by: .system)
            let csv = """
                hotline_id,matter_code,description,lon,lat,address,urgency,reporter_name,reporter_contact\r
                H001,E0102,"小区门口垃圾满溢, 无人清运",120.6005,31.3004,平江路1号,一般,张先生,13800001111\r
                H002,E0505,人行道违停,120.6105,31.3004,,紧急,李女士,13800002222\r
                H003,E0102,同一处垃圾,120.6006,31.3004,,,王先生,13800003333\r
                H004,E9999,未知事项,120.6005,31.3004,,,,\r
                H005,E0102,坐标错误,east,31.3,,,,\r
                H006,E0102,北京的垃圾,116.4,39.9,,,,\r

                """
            try await testApplication(platform).test(.router) { client in
                let token = try await client.login("intake.x", AuthFixtures.password)
                let answer = try await client.execute(
                    uri: "/api/v1/cases/import", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"],
                    body: ByteBuffer(string: csv)
                ) { HTTPAnswer(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body)) }
                #expect(answer.status == .ok, "\(answer.text)")
                let report = try answer.decode(HotlineImport.Report.self)
                #expect((report.accepted, report.merged, report.rejected) == (2, 1, 3))
                #expect(report.lines.map(\.line) == [2, 3, 4, 5, 6, 7])
                #expect(
                    report.lines[2].mergedInto == report.lines[0].number, "H003 is the same pile of garbage as H001")
                #expect(report.lines[3].issues?.first?.code == "unknown_matter")
                #expect(report.lines[4].code == "invalid_position")
                #expect(report.lines[5].issues?.first?.code == "outside_grid")
                let first = try await platform.cases.detail(id: report.lines[0].number!, by: .system)
                #expect(
                    first.case.source == .hotline && first.case.description.hasPrefix("[12345 H001] 小区门口垃圾满溢, 无人清运"))
                #expect(first.reporters.count == 2)
                #expect(
                    try await platform.cases.detail(id: report.lines[1].number!, by: .system).case.urgency == .urgent)

                let json = try await client.call(.post, "/api/v1/cases/import", token: token, json: "{}")
                #expect(json.status.code == 415)
                let headerless = try await client.execute(
                    uri: "/api/v1/cases/import", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"],
                    body: ByteBuffer(string: "id,text\r\n1,x\r\n")
                ) { HTTPAnswer(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body)) }
                #expect(headerless.status.code == 422)
                #expect(
                    Set((headerless.json["errors"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? [])
                        == ["missing_column"])
            }
        }
    }

    /// 12345 systems export GBK: said so in the Content-Type, the work order reads back in Chinese;
    /// not said, or a charset not read, it is refused whole, nothing filed.
    @Test func aGBKExportIsReadWhenItSaysSo() async throws {
        try await withPlatform(.sqlite) { platform in
            let f = try await CaseFixture.make(platform)
            _ = try await platform.people.createUser(
                NewUser(
                    username: "intake.g", displayName: "受理员", password: AuthFixtures.password,
                    roles: [.intake], areaId: f.city.id), by: .system)
            let csv = "hotline_id,matter_code,description,lon,lat\r\nG001,E0102,\"垃圾满溢，无人清运\",120.6005,31.3004\r\n"
            let gbk = try #require(csv.data(using: String.Encoding(rawValue: 0x8000_0632)))
            #expect(String(data: gbk, encoding: .utf8) == nil, "the file is not UTF-8")
            try await testApplication(platform).test(.router) { client in
                let token = try await client.login("intake.g", AuthFixtures.password)
                func send(_ type: String) async throws -> HTTPAnswer {
                    try await client.execute(
                        uri: "/api/v1/cases/import", method: .post,
                        headers: [.authorization: "Bearer \(token)", .contentType: type], body: ByteBuffer(bytes: gbk)
                    ) { HTTPAnswer(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body)) }
                }
                let unnamed = try await send("text/csv")
                #expect(unnamed.status.code == 400 && unnamed.json["code"] as? String == "invalid_encoding")
                #expect((unnamed.json["detail"] as? String)?.contains("Line 2") == true, "\(unnamed.text)")
                let big5 = try await send("text/csv; charset=big5")
                #expect(big5.status.code == 415 && big5.json["code"] as? String == "unsupported_charset")
                let named = try await send("text/csv; charset=GBK")
                #expect(named.status == .ok, "\(named.text)")
                let report = try named.decode(HotlineImport.Report.self)
                #expect(report.accepted == 1)
                let filed = try await platform.cases.detail(id: report.lines[0].number!, by: .system)
                #expect(filed.case.description.hasPrefix("[12345 G001] 垃圾满溢，无人清运"))
            }
        }
    }
}
