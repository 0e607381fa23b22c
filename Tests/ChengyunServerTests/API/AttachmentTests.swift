import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct AttachmentTests {
    /// A tiny but real JPEG header followed by bytes: enough for the type check.
    static let jpeg: [UInt8] =
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [UInt8](repeating: 0x42, count: 2048)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0x11, count: 1024)

    static func multipart(_ files: [(name: String, type: String, bytes: [UInt8])]) -> (String, ByteBuffer) {
        let boundary = "----chengyun-test-boundary"
        var buffer = ByteBuffer()
        for file in files {
            buffer.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\n")
            buffer.writeString("Content-Type: \(file.type)\r\n\r\n")
            buffer.writeBytes(file.bytes)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return ("multipart/form-data; boundary=\(boundary)", buffer)
    }

    static func upload(
        _ client: some TestClientProtocol, token: String, _ files: [(name: String, type: String, bytes: [UInt8])]
    ) async throws -> HTTPAnswer {
        let (type, body) = multipart(files)
        return try await client.execute(
            uri: "/api/v1/attachments", method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: type], body: body
        ) {
            HTTPAnswer(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body))
        }
    }

    @Test(arguments: TestBackend.available) func photosGoBeforeAndAfterAndOnlyToThoseWhoMaySeeTheCase(
        backend: TestBackend
    ) async throws {
        try await withDemoClient(backend) { client, credentials, platform in
            let inspector = try await client.login(
                "inspector.pingjiang", credentials.password(of: "inspector.pingjiang"))
            let upload = try await Self.upload(client, token: inspector, [("before.jpg", "image/jpeg", Self.jpeg)])
            #expect(upload.status == .created, "\(upload.text)")
            let before = try #require((upload.json["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(before.count == 64, "named by its SHA-256")

            let pingjiang = try await platform.pool.read { try await AreaRepository().find(code: "320508001", on: $0) }!
            let cell = try await platform.organisation.listGridCells(
                areaId: nil, page: PageRequest(limit: 500), by: .system
            ).items
                .last { $0.areaPath.hasPrefix(pingjiang.path) }!
            let reported = try await client.call(
                .post, "/api/v1/cases", token: inspector,
                json: """
                    {"matterCode":"C0305","description":"果皮箱破损","lon":\(cell.geometry.centroid.lon),"lat":\(cell.geometry.centroid.lat),"attachments":["\(before)"]}
                    """)
            let id = try #require((reported.json["case"] as? [String: Any])?["id"] as? String)
            let unknown = try await client.call(
                .post, "/api/v1/cases", token: inspector,
                json: """
                    {"matterCode":"E0201","description":"x","lon":\(cell.geometry.centroid.lon),"lat":\(cell.geometry.centroid.lat),"attachments":["nope"]}
                    """)
            #expect(unknown.problemCode == "validation_failed", "a report may only link uploaded files")

            // The supervisor files it; the handler of whichever department it went to adds the "after" photo.
            let supervisor = try await client.login("supervisor", credentials.password(of: "supervisor"))
            let filed = try await client.call(
                .post, "/api/v1/cases/\(id)/actions", token: supervisor, json: #"{"action":"file"}"#)
            let department = try #require((filed.json["departmentIds"] as? [String])?.first)
            // A handler of that department of our own: the shared demo accounts stay as they are.
            let departmentRecord = try await platform.organisation.department(id: department, by: .system)
            let handlerUser = try await platform.people.createUser(
                NewUser(
                    username: "handler.attach.\(backend.rawValue)", displayName: "测试处置员", password: "Handler-Pass-2026",
                    roles: [.handler], areaId: departmentRecord.areaId, departmentId: department), by: .system)
            let handler = try await client.login(handlerUser.username, "Handler-Pass-2026")
            let after = try #require(
                (try await Self.upload(client, token: handler, [("after.png", "image/png", Self.png)])
                    .json["items"] as? [[String: Any]])?.first?["id"] as? String)
            let done = try await client.call(
                .post, "/api/v1/cases/\(id)/actions", token: handler,
                json: #"{"action":"complete","note":"已更换","attachments":["\#(after)"]}"#)
            #expect(done.status == .ok, "\(done.text)")

            let detail = try await client.call(.get, "/api/v1/cases/\(id)", token: supervisor)
            let files = try #require(detail.json["attachments"] as? [[String: Any]])
            #expect(files.compactMap { $0["phase"] as? String } == ["before", "after"])

            let photo = try await client.call(.get, "/api/v1/cases/\(id)/attachments/\(before)", token: supervisor)
            #expect(
                photo.status == .ok && photo.headers[.contentType] == "image/jpeg" && Array(photo.body) == Self.jpeg)
            let other = try await client.login("inspector.canglang", credentials.password(of: "inspector.canglang"))
            #expect(
                try await client.call(.get, "/api/v1/cases/\(id)/attachments/\(before)", token: other).status
                    == .forbidden)
            #expect(
                try await client.call(
                    .get, "/api/v1/cases/\(id)/attachments/\(String(repeating: "0", count: 64))", token: supervisor
                ).status == .notFound)
        }
    }

    @Test func uploadsAreChecked() async throws {
        try await withDemoClient(.sqlite) { client, credentials, _ in
            let inspector = try await client.login(
                "inspector.pingjiang", credentials.password(of: "inspector.pingjiang"))
            let script = try await Self.upload(
                client, token: inspector, [("x.jpg", "image/jpeg", Array("<script>alert(1)</script>".utf8))])
            #expect(
                script.status.code == 422
                    && (script.json["errors"] as? [[String: Any]])?.first?["code"] as? String == "unsupported_type")
            let lying = try await Self.upload(client, token: inspector, [("x.jpg", "image/jpeg", Self.png)])
            #expect((lying.json["errors"] as? [[String: Any]])?.first?["code"] as? String == "type_mismatch")
            let huge = try await Self.upload(
                client, token: inspector,
                [("big.jpg", "image/jpeg", Self.jpeg + [UInt8](repeating: 0, count: 11 * 1_048_576))])
            #expect(huge.status.code == 413 && huge.problemCode == "file_too_large")
            let json = try await client.call(.post, "/api/v1/attachments", token: inspector, json: "{}")
            #expect(json.status.code == 415)
            #expect(try await client.call(.post, "/api/v1/attachments", json: "{}").status == .unauthorized)
        }
    }

    /// Uploads are written to disk as they arrive: too many files, a file over the limit or a
    /// refused type leave no spool file behind, and a good one ends up in the store only.
    @Test func streamedUploadsLeaveNothingBehind() async throws {
        try await withPlatform(.sqlite) { platform in
            let user = try await AuthFixtures.user(platform)
            try await testApplication(platform).test(.router) { client in
                let token = try await client.login(user.username, AuthFixtures.password)
                let six = try await Self.upload(
                    client, token: token, (1...6).map { ("p\($0).jpg", "image/jpeg", Self.jpeg + [UInt8($0)]) })
                #expect(six.status == .badRequest && six.problemCode == "invalid_upload")
                let huge = try await Self.upload(
                    client, token: token,
                    [
                        ("ok.jpg", "image/jpeg", Self.jpeg),
                        ("big.jpg", "image/jpeg", Self.jpeg + [UInt8](repeating: 1, count: 11 * 1_048_576)),
                    ])
                #expect(huge.status.code == 413)
                let good = try await Self.upload(client, token: token, [("a.jpg", "image/jpeg", Self.jpeg + [9, 9])])
                #expect(good.status == .created)
                let left = (try? FileManager.default.contentsOfDirectory(atPath: platform.files.spoolDirectory)) ?? []
                #expect(left.isEmpty, "spool files left behind: \(left)")
            }
        }
    }
}
