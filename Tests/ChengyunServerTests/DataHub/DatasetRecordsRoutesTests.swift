import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The demo's waste-sorting points through HTTP: paged JSON, CSV and GeoJSON exports, CKAN's
/// datastore_search for the public, and loads by the owner alone.
@Suite struct DatasetRecordsRoutesTests {
    @Test(arguments: TestBackend.available) func recordsPageExportAndLoad(backend: TestBackend) async throws {
        try await withDemoClient(backend) { client, credentials, _ in
            let inspector = try await client.login(
                "inspector.pingjiang", credentials.password(of: "inspector.pingjiang"))
            let path = "/api/v1/datasets/waste-sorting-points/records"
            var keys: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.call(
                    .get, path + "?limit=5" + (cursor.map { "&cursor=\($0)" } ?? ""), token: inspector)
                #expect(page.status == .ok, "\(page.text.prefix(200))")
                keys += (page.json["records"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
                cursor = page.json["nextCursor"] as? String
            } while cursor != nil && keys.count < 100
            #expect(keys.count == 12 && keys == keys.sorted() && keys.first == "LJ001")
            let sorted = try await client.call(.get, path + "?kind=sorted&format=json", token: inspector)
            let first = (sorted.json["records"] as? [[String: Any]] ?? []).first ?? [:]
            #expect(first["bins"] as? Int == 2 && (first["checked_at"] as? String)?.hasSuffix("+08:00") == true)

            let csv = try await client.call(.get, path + "?format=csv", token: inspector)
            let lines = csv.text.split(separator: "\r\n")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && lines.count == 13)
            #expect(lines.first?.hasSuffix("code,name,kind,bins,lon,lat,grid_cell,phone,checked_at") == true)
            let geojson = try await client.call(.get, path + "?format=geojson", token: inspector)
            let features = geojson.json["features"] as? [[String: Any]] ?? []
            #expect(features.count == 12 && (features[0]["geometry"] as? [String: Any])?["type"] as? String == "Point")

            // The public reads open data as CKAN's DataStore serves it.
            let package = try await client.call(.get, "/api/3/action/package_show?id=waste-sorting-points")
            let resources = (package.json["result"] as? [String: Any])?["resources"] as? [[String: Any]] ?? []
            let records = try #require(resources.first { $0["datastore_active"] as? Bool == true }?["id"] as? String)
            let searched = try await client.call(
                .post, "/api/3/action/datastore_search",
                json: #"{"resource_id":"\#(records)","filters":{"kind":"sorted"},"limit":2}"#)
            let result = searched.json["result"] as? [String: Any] ?? [:]
            #expect(
                result["total"] as? Int == 4 && (result["records"] as? [Any])?.count == 2,
                "\(searched.text.prefix(300))")
            let cases = try await client.call(.get, "/api/3/action/datastore_search?resource_id=city-cases")
            #expect(cases.status == .forbidden && !cases.isProblem)

            // Loads are the owner's; a dry run shows what the pipeline makes.
            let file = "编号,名称,类型,桶数,经度,纬度,网格,电话,检查时间\nLJ900,试点,可回收,2,120.60,31.30,,,\n"
            let refused = try await client.call(
                .post, "/api/v1/datasets/waste-sorting-points/loads?dryRun=true", token: inspector,
                headers: [.contentType: "text/csv"], body: file)
            #expect(refused.status == .forbidden)
            let handler = try await client.login("handler.sanitation", credentials.password(of: "handler.sanitation"))
            let dry = try await client.call(
                .post, "/api/v1/datasets/waste-sorting-points/loads?dryRun=true", token: handler,
                headers: [.contentType: "text/csv"], body: file)
            #expect(dry.status == .ok, "\(dry.text.prefix(300))")
            #expect(
                (dry.json["sample"] as? [[String: String]])?.first?["kind"] == "recyclable"
                    && dry.json["version"] == nil)
            let unsupported = try await client.call(
                .post, "/api/v1/datasets/waste-sorting-points/loads", token: handler,
                headers: [.contentType: "application/pdf"], body: "%PDF")
            #expect(unsupported.status == .unsupportedMediaType)

            // The same file exported in GBK: read when the content type says so, refused when not.
            let gbk = try #require(file.data(using: String.Encoding(rawValue: 0x8000_0632)))
            let said = try await client.call(
                .post, "/api/v1/datasets/waste-sorting-points/loads?dryRun=true", token: handler,
                headers: [.contentType: "text/csv; charset=GBK"], body: gbk)
            #expect((said.json["sample"] as? [[String: String]])?.first?["name"] == "试点", "\(said.text.prefix(300))")
            let unsaid = try await client.call(
                .post, "/api/v1/datasets/waste-sorting-points/loads?dryRun=true", token: handler,
                headers: [.contentType: "text/csv"], body: gbk)
            #expect(unsaid.status == .badRequest && unsaid.problemCode == "invalid_encoding", "\(unsaid.text)")
            let big5 = try await client.call(
                .post, "/api/v1/datasets/waste-sorting-points/loads?dryRun=true", token: handler,
                headers: [.contentType: "text/csv; charset=big5"], body: gbk)
            #expect(big5.status == .unsupportedMediaType && big5.problemCode == "unsupported_charset")
        }
    }
}
