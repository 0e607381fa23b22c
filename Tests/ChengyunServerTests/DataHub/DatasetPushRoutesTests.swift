import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A system pushes its records through HTTP with the push key the dataset's owner made for it:
/// loads into that dataset, at its rate, and reaches nothing else.
@Suite struct DatasetPushRoutesTests {
    @Test(arguments: TestBackend.available) func aSystemPushesWithItsKeyAndNothingMore(backend: TestBackend)
        async throws
    {
        try await withDemoClient(backend) { client, credentials, _ in
            let handler = try await client.login("handler.sanitation", credentials.password(of: "handler.sanitation"))
            // A dataset of its own: the demo is shared by the suite's tests.
            let code = "crews-" + UUID().uuidString.prefix(8).lowercased()
            let fields =
                #"[{"name":"code","type":"string","title":"编号","required":true,"key":true},"#
                + #"{"name":"road","type":"string","title":"路段","required":true,"key":false}]"#
            let registered = try await client.call(
                .post, "/api/v1/datasets", token: handler,
                json: #"{"code":"\#(code)","title":"值班班组","description":"","sharingType":"conditional","#
                    + #""sharingCondition":"向市政部门共享","openType":"closed","updateCycle":"daily","fields":\#(fields)}"#)
            #expect(registered.status == .created, "\(registered.text.prefix(300))")
            let dataset = "/api/v1/datasets/\(code)"
            let made = try await client.call(
                .post, "\(dataset)/push-keys", token: handler, json: #"{"name":"环卫作业系统","days":30,"ratePerMinute":2}"#)
            #expect(made.status == .created, "\(made.text.prefix(300))")
            let secret = try #require(made.json["secret"] as? String)
            let id = try #require((made.json["key"] as? [String: Any])?["id"] as? String)

            let file = "code,road\nBZ01,人民路\nBZ02,\n"
            let csv: HTTPFields = [.contentType: "text/csv"]
            let pushed = try await client.call(.post, "\(dataset)/loads", token: secret, headers: csv, body: file)
            #expect(pushed.status == .created, "\(pushed.text.prefix(300))")
            #expect(pushed.json["source"] as? String == "push" && pushed.json["loadedBy"] as? String == id)
            let report = pushed.json["report"] as? [String: Any] ?? [:]
            #expect(report["kept"] as? Int == 1 && report["refused"] as? Int == 1, "a row without its road is refused")

            // Nothing else: not the records, the keys, the loads, the pipeline, the dataset, telemetry.
            for (method, path) in [
                (HTTPRequest.Method.get, "\(dataset)/records"), (.get, "\(dataset)/push-keys"),
                (.post, "\(dataset)/push-keys"), (.get, "\(dataset)/loads"), (.put, "\(dataset)/pipeline"),
                (.get, dataset), (.post, "/api/v1/telemetry"),
            ] {
                let answer = try await client.call(method, path, token: secret, headers: [:], body: "")
                #expect(answer.status == .forbidden && answer.isProblem, "\(method) \(path): \(answer.status)")
            }
            let elsewhere = try await client.call(
                .post, "/api/v1/datasets/waste-sorting-points/loads?dryRun=true", token: secret, headers: csv,
                body: file)
            #expect(elsewhere.status == .notFound && elsewhere.isProblem, "\(elsewhere.text.prefix(200))")

            // Its rate: two loads a minute (the refused one counted), then 429 with the time to wait.
            let third = try await client.call(
                .post, "\(dataset)/loads?dryRun=true", token: secret, headers: csv, body: file)
            #expect(third.status == .tooManyRequests && third.problemCode == "rate_limited")
            #expect(third.headers[.retryAfter] != nil)

            // Revoked by the owner: the next push is unauthenticated.
            let revoked = try await client.call(.delete, "\(dataset)/push-keys/\(id)", token: handler)
            #expect(revoked.status == .ok && revoked.json["revokedAt"] is Int)
            let after = try await client.call(.post, "\(dataset)/loads", token: secret, headers: csv, body: file)
            #expect(after.status == .unauthorized)
            let listed = try await client.call(.get, "\(dataset)/push-keys", token: handler)
            let keys = listed.json["items"] as? [[String: Any]] ?? []
            #expect(keys.count == 1 && keys[0]["id"] as? String == id && keys[0]["revokedAt"] is Int)
            #expect(!listed.text.contains(secret), "the secret is shown once, never listed")
        }
    }
}
