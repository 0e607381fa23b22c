import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The data catalog through HTTP on the demo city: a department's handler registers a dataset
/// and submits it, the centre's administrator publishes it, and the CKAN door shows it to
/// anyone — in CKAN's envelope, errors included.
@Suite struct DatasetRoutesTests {
    private func draft(_ code: String) -> String {
        """
        {"code":"\(code)","title":"路灯设施","titleEn":"Street lamps","description":"全市路灯的位置和功率",
         "sharingType":"unconditional","openType":"open","updateCycle":"monthly","tags":["路灯","市政设施"],
         "coverage":{"areaName":"苏州市","bbox":[120.5,31.2,120.7,31.4]},
         "fields":[{"name":"code","type":"string","title":"编码","required":true,"key":true},
                   {"name":"power","type":"number","title":"功率","unit":"W","required":false,"key":false}],
         "lineage":[{"kind":"dataset","ref":"grid-cells"},{"kind":"source","ref":"路灯管理系统"}]}
        """
    }

    @Test(arguments: TestBackend.available) func aDatasetIsRegisteredPublishedAndReadThroughCKAN(backend: TestBackend)
        async throws
    {
        try await withDemoClient(backend) { client, credentials, _ in
            let code = "lamps-" + Identifier.make().lowercased()
            let handler = try await client.login("handler.sanitation", credentials.password(of: "handler.sanitation"))
            let inspector = try await client.login(
                "inspector.pingjiang", credentials.password(of: "inspector.pingjiang"))
            let admin = try await client.login("admin", credentials.password(of: "admin"))

            let refused = try await client.call(.post, "/api/v1/datasets", token: inspector, json: draft(code))
            #expect(refused.status == .forbidden)
            let created = try await client.call(.post, "/api/v1/datasets", token: handler, json: draft(code))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["state"] as? String == "draft" && created.json["ownerCode"] as? String != nil)
            // A draft is not in the public catalog.
            let hidden = try await client.call(.get, "/api/3/action/package_show?id=\(code)")
            #expect(
                hidden.status == .notFound
                    && (hidden.json["error"] as? [String: Any])?["__type"] as? String == "Not Found Error")
            #expect(try await client.call(.get, "/api/v1/datasets/\(code)", token: inspector).status == .notFound)

            let submitted = try await client.call(
                .post, "/api/v1/datasets/\(code)/actions", token: handler, json: #"{"action":"submit"}"#)
            #expect(submitted.json["state"] as? String == "under_review", "\(submitted.text)")
            let ownApproval = try await client.call(
                .post, "/api/v1/datasets/\(code)/actions", token: handler, json: #"{"action":"approve"}"#)
            #expect(ownApproval.status == .forbidden && ownApproval.problemCode == "not_dataset_reviewer")
            let noNote = try await client.call(
                .post, "/api/v1/datasets/\(code)/actions", token: admin, json: #"{"action":"reject"}"#)
            #expect(noNote.status == .badRequest && noNote.problemCode == "note_required")
            let approved = try await client.call(
                .post, "/api/v1/datasets/\(code)/actions", token: admin, json: #"{"action":"approve"}"#)
            #expect(approved.json["state"] as? String == "published", "\(approved.text)")

            // Every member of staff finds it; the public through CKAN, by GET or by POST.
            let listed = try await client.call(.get, "/api/v1/datasets?tag=%E8%B7%AF%E7%81%AF", token: inspector)
            #expect((listed.json["items"] as? [[String: Any]] ?? []).contains { $0["code"] as? String == code })
            let shown = try await client.call(.get, "/api/3/action/package_show?id=\(code)")
            let package = shown.json["result"] as? [String: Any] ?? [:]
            #expect(shown.json["success"] as? Bool == true && package["title"] as? String == "路灯设施")
            #expect((package["organization"] as? [String: Any])?["title"] as? String == "苏州市市容环境卫生管理处")
            let resource = (package["resources"] as? [[String: Any]])?.first ?? [:]
            let schemaPath = try #require((resource["url"] as? String).flatMap { URL(string: $0)?.path })
            let schema = try await client.call(.get, schemaPath)
            #expect((schema.json["x-key"] as? [String]) == ["code"] && schema.json["$schema"] != nil)
            let searched = try await client.call(
                .post, "/api/action/package_search", json: #"{"q":"路灯","fq":"tags:市政设施","rows":5}"#)
            let found = searched.json["result"] as? [String: Any] ?? [:]
            #expect((found["results"] as? [[String: Any]] ?? []).contains { $0["name"] as? String == code })
            let organizations = try await client.call(.get, "/api/3/action/organization_list?all_fields=true")
            let owners = organizations.json["result"] as? [[String: Any]] ?? []
            #expect(
                owners.contains {
                    $0["name"] as? String == "operation-centre" && ($0["package_count"] as? Int ?? 0) >= 7
                })
        }
    }

    @Test(arguments: TestBackend.available) func theCKANDoorAnswersErrorsInCKANsEnvelope(backend: TestBackend)
        async throws
    {
        try await withDemoClient(backend) { client, _, _ in
            let unknown = try await client.call(.get, "/api/3/action/package_create")
            #expect(unknown.status == .badRequest && !unknown.isProblem)
            #expect((unknown.json["error"] as? [String: Any])?["__type"] as? String == "Bad Request")
            let rows = try await client.call(.get, "/api/3/action/package_search?rows=many")
            #expect(
                rows.status == .conflict
                    && (rows.json["error"] as? [String: Any])?["__type"] as? String == "Validation Error")
            let fq = try await client.call(.get, "/api/3/action/package_search?fq=res_format:CSV")
            #expect((fq.json["error"] as? [String: Any])?["__type"] as? String == "Search Query Error")
            let missing = try await client.call(.post, "/api/3/action/package_show", json: "{}")
            #expect(missing.status == .conflict && missing.json["success"] as? Bool == false)
            let notObject = try await client.call(.post, "/api/3/action/package_show", json: "[1,2]")
            #expect(notObject.status == .badRequest && notObject.json["success"] as? Bool == false)
            let list = try await client.call(.post, "/api/3/action/package_list", json: #"{"limit":2,"offset":1}"#)
            #expect(list.json["result"] as? [String] == ["city-indicators", "department-evaluations"])
        }
    }
}
