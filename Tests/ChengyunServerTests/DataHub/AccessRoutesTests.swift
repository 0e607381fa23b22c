import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Exchange through HTTP, as its users meet it: the sanitation department shares a ledger on
/// conditions, the municipal department applies for some of its fields, the owner and then the
/// centre approve, and the consumer reads those fields alone — in the browser's session and by
/// the key its system collects (also as a CKAN client sends it) — until the quota is used up and
/// the grant is revoked.
@Suite struct AccessRoutesTests {
    private static let ledger = #"""
        {"code":"public-toilets","title":"公共厕所","description":"街面公共厕所及保洁员","sharingType":"conditional",
         "sharingCondition":"向市政、应急部门共享","openType":"closed","updateCycle":"monthly","fields":[
          {"name":"code","type":"string","title":"编号","required":true,"key":true},
          {"name":"name","type":"string","title":"名称","required":true,"key":false},
          {"name":"lon","type":"lon","title":"经度","required":true,"key":false},
          {"name":"lat","type":"lat","title":"纬度","required":true,"key":false},
          {"name":"keeper_phone","type":"string","title":"保洁员电话","required":false,"key":false}]}
        """#

    @Test(arguments: TestBackend.available) func aDepartmentAppliesIsApprovedAndReadsItsFields(backend: TestBackend)
        async throws
    {
        try await withDemoClient(backend) { client, credentials, _ in
            let owner = try await client.login("handler.sanitation", credentials.password(of: "handler.sanitation"))
            let consumer = try await client.login("handler.municipal", credentials.password(of: "handler.municipal"))
            let admin = try await client.login("admin", credentials.password(of: "admin"))
            try await publishLedger(client, owner: owner, admin: admin)
            let records = "/api/v1/datasets/public-toilets/records"
            #expect(try await client.call(.get, records, token: consumer).problemCode == "not_shared_with_you")

            let applied = try await client.call(
                .post, "/api/v1/datasets/public-toilets/access-applications", token: consumer,
                json:
                    #"{"purpose":"市政设施巡查","fields":["code","name","lon","lat"],"days":90,"system":"市政巡查系统","dailyQuota":4}"#
            )
            #expect(applied.status == .created, "\(applied.text.prefix(300))")
            let id = try #require(applied.json["id"] as? String)
            let actions = "/api/v1/access-applications/\(id)/actions"
            #expect(
                try await client.call(.post, actions, token: consumer, json: #"{"action":"approve"}"#).status
                    == .forbidden)
            let queue = try await client.call(.get, "/api/v1/access-applications?view=awaiting", token: owner)
            #expect((queue.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
            let agreed = try await client.call(.post, actions, token: owner, json: #"{"action":"approve"}"#)
            #expect(agreed.json["state"] as? String == "pending")
            let approved = try await client.call(.post, actions, token: admin, json: #"{"action":"approve"}"#)
            #expect(approved.json["state"] as? String == "approved", "\(approved.text.prefix(300))")

            // The consumer's staff read the granted fields; the keeper's phone is not among them.
            let page = try await client.call(.get, records, token: consumer)
            let first = (page.json["records"] as? [[String: Any]])?.first ?? [:]
            #expect(Set(first.keys) == ["code", "name", "lon", "lat"], "\(page.text.prefix(300))")
            #expect(
                try await client.call(.get, records + "?keeper_phone=1", token: consumer).status
                    == .unprocessableContent)

            // Its system's key: once shown, read by X-API-Key and as CKAN clients send it.
            let issued = try await client.call(.post, "/api/v1/access-applications/\(id)/key", token: consumer)
            #expect(issued.status == .created)
            let secret = try #require(issued.json["secret"] as? String)
            let byKey = try await client.call(.get, records, headers: [HTTPField.Name("X-API-Key")!: secret])
            #expect(byKey.status == .ok && !byKey.text.contains("keeper_phone"))
            let ckan = try await client.call(
                .get, "/api/3/action/datastore_search?resource_id=public-toilets", headers: [.authorization: secret])
            #expect(ckan.status == .ok && !ckan.text.contains("keeper_phone"), "\(ckan.text.prefix(300))")
            // The key reads this dataset and does nothing else.
            #expect(
                try await client.call(.get, "/api/v1/datasets", headers: [HTTPField.Name("X-API-Key")!: secret]).status
                    == .forbidden)

            // A refused filter reads nothing and counts for nothing; four reads use the day's quota,
            // and the fifth is refused, with when to come back.
            #expect(try await client.call(.get, records, token: consumer).status == .ok)
            let refused = try await client.call(.get, records, headers: [HTTPField.Name("X-API-Key")!: secret])
            #expect(refused.status == .tooManyRequests && refused.problemCode == "quota_exhausted")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 > 0)
            let ckanRefused = try await client.call(
                .get, "/api/3/action/datastore_search?resource_id=public-toilets", headers: [.authorization: secret])
            #expect(ckanRefused.status == .tooManyRequests && ckanRefused.json["success"] as? Bool == false)

            // The owner reads who read; the consumer reads its own grant's log, not the dataset's.
            let log = try await client.call(.get, "/api/v1/datasets/public-toilets/access-log", token: owner)
            #expect((log.json["items"] as? [Any])?.count == 6, "\(log.text.prefix(300))")
            #expect(
                try await client.call(.get, "/api/v1/datasets/public-toilets/access-log", token: consumer).status
                    == .forbidden)
            let own = try await client.call(.get, "/api/v1/access-applications/\(id)/log?limit=2", token: consumer)
            #expect((own.json["items"] as? [[String: Any]])?.first?["outcome"] as? String == "quota_exhausted")

            // Revoked: the key no longer opens anything.
            let revoked = try await client.call(
                .post, actions, token: admin, json: #"{"action":"revoke","note":"巡查系统下线"}"#)
            #expect(revoked.json["state"] as? String == "revoked")
            #expect(
                try await client.call(.get, records, headers: [HTTPField.Name("X-API-Key")!: secret]).status
                    == .unauthorized)
        }
    }

    private func publishLedger(_ client: any TestClientProtocol, owner: String, admin: String) async throws {
        #expect(try await client.call(.post, "/api/v1/datasets", token: owner, json: Self.ledger).status == .created)
        let actions = "/api/v1/datasets/public-toilets/actions"
        #expect(try await client.call(.post, actions, token: owner, json: #"{"action":"submit"}"#).status == .ok)
        #expect(try await client.call(.post, actions, token: admin, json: #"{"action":"approve"}"#).status == .ok)
        let csv =
            "code,name,lon,lat,keeper_phone\nT1,观前街公厕,120.6275,31.3120,13800001111\nT2,平江路公厕,120.6330,31.3150,13800002222\n"
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(owner)"
        headers[.contentType] = "text/csv"
        let loaded = try await client.execute(
            uri: "/api/v1/datasets/public-toilets/loads", method: .post, headers: headers,
            body: ByteBuffer(string: csv)
        ) { HTTPAnswer(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body)) }
        #expect(loaded.status == .created, "\(String(decoding: loaded.body, as: UTF8.self).prefix(300))")
    }
}
