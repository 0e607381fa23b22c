import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The video-AI channel through HTTP on the demo city: a vendor's system sends a detection with
/// a real JPEG, the key is told only of the detection, an intake operator sees the snapshot and
/// accepts it into a case; others are refused.
@Suite struct VideoRoutesTests {
    private func keyHeader(_ secret: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[HTTPField.Name("X-API-Key")!] = secret
        return headers
    }

    @Test(arguments: TestBackend.available) func aDetectionIsSentReviewedAndBecomesACase(backend: TestBackend)
        async throws
    {
        try await withDemoClient(backend) { client, credentials, platform in
            let city = try #require(
                try await platform.pool.read { try await AreaRepository().find(code: "320500", on: $0) })
            let key = try await platform.people.createAPIKey(
                NewAPIKey(name: "video AI \(Identifier.make())", scopes: [.telemetryWrite], areaId: city.id),
                by: .system)
            let camera = try #require(try await platform.video.cameras(by: .system).first)
            let shot = try #require(try DemoVideo.snapshots().first { $0.classCode == "illegal_parking" })
            // A box no earlier sighting of this camera overlaps, so this is a new detection.
            let body = """
                {"cameraCode":"\(camera.device.code)","classCode":"illegal_parking","detectedAt":\(platform.now()),
                 "confidence":0.93,"box":{"x":0.0,"y":0.0,"width":0.12,"height":0.1},
                 "snapshot":"\(Data(shot.jpeg).base64EncodedString())","fields":{"plate_number":"苏E12345"}}
                """
            let sent = try await client.call(
                .post, "/api/v1/video/detections", json: body, headers: keyHeader(key.secret))
            #expect(sent.status == .ok, "\(sent.text)")
            // The sender learns of the detection only.
            #expect(Set(sent.json.keys) == ["id", "state", "sightings", "folded"])
            let id = try #require(sent.json["id"] as? String)
            #expect(sent.json["state"] as? String == "pending")

            let intake = try await client.login("intake", credentials.password(of: "intake"))
            let queue = try await client.call(.get, "/api/v1/video/detections?state=pending", token: intake)
            let items = queue.json["items"] as? [[String: Any]] ?? []
            #expect(items.contains { $0["id"] as? String == id })
            let picture = try await client.call(.get, "/api/v1/video/detections/\(id)/snapshot", token: intake)
            #expect(picture.status == .ok && picture.headers[.contentType] == "image/jpeg")
            #expect(Array(picture.body) == shot.jpeg)

            let accepted = try await client.call(
                .post, "/api/v1/video/detections/\(id)/accept", token: intake, json: #"{"note":"占用消防通道"}"#)
            #expect(accepted.status == .ok, "\(accepted.text)")
            let caseId = try #require(accepted.json["caseId"] as? String)
            let detail = try await client.call(.get, "/api/v1/cases/\(caseId)", token: intake)
            let record = detail.json["case"] as? [String: Any] ?? [:]
            // E0505 机动车乱停放.
            #expect(
                record["kind"] as? String == "event" && record["majorCode"] as? String == "05"
                    && record["minorCode"] as? String == "05", "\(detail.text.prefix(300))")
            #expect((record["customFields"] as? [String: String])?["plate_number"] == "苏E12345")
            #expect(record["state"] as? String != "reported")
            let again = try await client.call(
                .post, "/api/v1/video/detections/\(id)/discard", token: intake, json: #"{"reason":"duplicate"}"#)
            #expect(again.status == .conflict && again.problemCode == "already_reviewed")

            // Class figures for administrators; the threshold is a platform administrator's.
            let admin = try await client.login("admin", credentials.password(of: "admin"))
            let classes = try await client.call(.get, "/api/v1/video/classes", token: admin)
            let parking = (classes.json["items"] as? [[String: Any]] ?? []).first {
                ($0["videoClass"] as? [String: Any])?["code"] as? String == "illegal_parking"
            }
            #expect(((parking?["review"] as? [String: Any])?["accepted"] as? Int ?? 0) >= 1)
            let refused = try await client.call(
                .put, "/api/v1/video/classes/illegal_parking", token: intake, json: #"{"threshold":0.75}"#)
            #expect(refused.status == .forbidden)
            let unknown = try await client.call(
                .put, "/api/v1/video/classes/jaywalking", token: admin, json: #"{"threshold":0.75}"#)
            #expect(unknown.status == .notFound)
        }
    }

    @Test(arguments: TestBackend.available) func othersAreRefused(backend: TestBackend) async throws {
        try await withDemoClient(backend) { client, credentials, platform in
            let inspector = try await client.login(
                "inspector.pingjiang", credentials.password(of: "inspector.pingjiang"))
            let intake = try await client.login("intake", credentials.password(of: "intake"))
            let pending = try await platform.video.detections(state: .pending, classCode: nil, limit: 1, by: .system)
            let id = try #require(pending.first?.id)
            // An inspector reviews nothing; a staff token cannot send detections; no token, nothing.
            #expect(try await client.call(.get, "/api/v1/video/detections", token: inspector).status == .forbidden)
            #expect(
                try await client.call(.get, "/api/v1/video/detections/\(id)/snapshot", token: inspector).status
                    == .forbidden)
            #expect(
                try await client.call(
                    .post, "/api/v1/video/detections/\(id)/accept", token: inspector, json: "{}"
                ).status == .forbidden)
            #expect(
                try await client.call(.post, "/api/v1/video/detections", token: intake, json: "{}").status == .forbidden
            )
            #expect(try await client.call(.get, "/api/v1/video/detections/\(id)/snapshot").status == .unauthorized)
            // A discard needs a known reason.
            let bad = try await client.call(
                .post, "/api/v1/video/detections/\(id)/discard", token: intake, json: #"{"reason":"bored"}"#)
            #expect(bad.status == .unprocessableContent || bad.status == .badRequest)
            #expect(bad.isProblem)
        }
    }
}
