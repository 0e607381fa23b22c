import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Bad input on every write route answers problem+json with a stable code, never a 500. The
/// write routes are enumerated from the router; one missing from `probes` (BadInputProbes.swift)
/// fails the test.
@Suite struct BadInputTests {
    struct Probe {
        /// A field the body requires (nil when every field is optional).
        var requiredField: String?
        /// A body with one field of the wrong type.
        var wrongType: String
        var wrongField: String
    }

    /// Write routes that take no body, and those that take CSV, NDJSON or multipart (probed in
    /// HotlineImportTests, AttachmentTests, DevicesRoutesTests, TelemetryRoutesTests and Open311ContractTests),
    /// the CKAN door's, which answers in CKAN's envelope (DatasetRoutesTests), and dataset loads,
    /// whose body is the file (DatasetRecordsRoutesTests, DatasetLoadTests), and the NGSI-LD door's,
    /// whose bodies are NGSI-LD documents with refusals of their own (ContextRoutesTests), and a
    /// service's calls, whose bodies go to the service as they are (ServiceGatewayTests).
    static let bodiless: Set<String> = [
        "POST /api/v1/users/{id}/unlock", "POST /api/v1/indicators/compute",
        "POST /api/v1/indicators/{code}/values.csv", "POST /api/v1/supervision-orders/{id}/read",
        "POST /api/v1/cases/import", "POST /api/v1/attachments", "POST /api/v1/risk-map/recompute",
        "POST /api/v1/dispatch/models",
        "POST /api/v1/devices/import", "POST /api/v1/devices/{id}/rearm", "POST /api/v1/telemetry",
        "POST /open311/v2/{resource}", "POST /api/3/action/{action}", "POST /api/action/{action}",
        "POST /api/v1/datasets/{code}/loads", "POST /api/v1/access-applications/{id}/key",
        "POST /ngsi-ld/v1/subscriptions", "POST /ngsi-ld/v1/entityOperations/query",
        "POST /api/v1/datasets/{code}/pull/run", "POST /api/v1/services/{code}/call/**",
    ]

    @Test(arguments: TestBackend.available) func everyWriteRouteRefusesBadBodiesCleanly(backend: TestBackend)
        async throws
    {
        try await withDemoClient(backend) { client, credentials, platform in
            let admin = try await client.login("admin", credentials.password(of: "admin"))
            let inspector = try await client.login(
                "inspector.pingjiang", credentials.password(of: "inspector.pingjiang"))
            let intake = try await client.login("intake", credentials.password(of: "intake"))
            let citizenLogin = try await client.call(
                .post, "/api/v1/citizen-session",
                json: #"{"phone":"\#(credentials.citizenPhone)","password":"\#(credentials.citizenPassword)"}"#)
            let citizen = try #require(citizenLogin.json["token"] as? String)
            let areaId = try await platform.organisation.listAreas(
                level: .city, parentId: nil, page: PageRequest(), by: .system
            ).items[0].id
            for route in registeredRoutes(platform) where ["POST", "PATCH", "PUT"].contains(route.method) {
                let key = "\(route.method) \(route.path)"
                if Self.bodiless.contains(key) { continue }
                guard let probe = Self.probes[key] else {
                    Issue.record("\(key) has no bad-input probe: add one")
                    continue
                }
                let url = route.path.replacingOccurrences(of: "{id}", with: areaId).replacingOccurrences(
                    of: "{number}", with: "E0102"
                ).replacingOccurrences(of: "{taskId}", with: areaId)
                    .replacingOccurrences(of: "{resourceId}", with: areaId)
                let method = HTTPRequest.Method(route.method)!
                // Each probe is sent by someone the route lets in, so it reaches the body checks.
                let inspectorOnly: Set<String> = [
                    "POST /api/v1/cases", "POST /api/v1/patrol-tasks/{id}/check-ins",
                    "POST /api/v1/patrol-tasks/{id}/complete",
                ]
                // public/reports is for the public: sent without a token (staff are refused there).
                // Video review is the intake operators'; detections come with a machine key.
                let admin: String? =
                    key == "POST /api/v1/public/reports"
                    ? nil
                    : inspectorOnly.contains(key)
                        ? inspector
                        : key.hasPrefix("POST /api/v1/me/reports")
                            ? citizen
                            : key.hasPrefix("POST /api/v1/video/detections/")
                                ? intake : key == "POST /api/v1/video/detections" ? credentials.apiKey : admin

                let malformed = try await client.call(method, url, token: admin, json: #"{"name": "#)
                #expect(
                    malformed.status == .badRequest && malformed.problemCode == "invalid_json" && malformed.isProblem,
                    "\(key) malformed")

                let notObject = try await client.call(method, url, token: admin, json: "[1,2]")
                #expect(notObject.problemCode == "invalid_json", "\(key) array body")

                let unknown = try await client.call(method, url, token: admin, json: #"{"surprise":1}"#)
                #expect(unknown.status == .badRequest && unknown.problemCode == "unknown_field", "\(key) unknown field")
                #expect((unknown.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "surprise")

                if let required = probe.requiredField {
                    let missing = try await client.call(method, url, token: admin, json: "{}")
                    #expect(
                        missing.status == .badRequest && missing.problemCode == "missing_field",
                        "\(key) missing: \(missing.text)")
                    let fields =
                        (missing.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                    #expect(!fields.isEmpty, "\(key) names the missing field")
                    _ = required
                }

                let wrong = try await client.call(method, url, token: admin, json: probe.wrongType)
                #expect(wrong.status == .badRequest, "\(key) wrong type: \(wrong.status) \(wrong.text)")
                #expect(
                    ["wrong_type", "missing_field", "invalid_value"].contains(wrong.problemCode ?? ""),
                    "\(key) wrong type code")
                #expect(
                    (wrong.json["errors"] as? [[String: Any]])?.first?["field"] as? String == probe.wrongField,
                    "\(key): \(wrong.text)")

                let text = try await client.call(
                    method, url, token: admin, json: nil,
                    headers: [.contentType: "text/plain"])
                #expect(text.status.code == 415 || text.status == .badRequest, "\(key) non-JSON body")
            }
        }
    }

    @Test(arguments: TestBackend.available) func validationFailuresListEveryField(backend: TestBackend) async throws {
        try await withDemoClient(backend) { client, credentials, _ in
            let admin = try await client.login("admin", credentials.password(of: "admin"))
            let answer = try await client.call(
                .post, "/api/v1/users", token: admin,
                json: """
                    {"username":"x","displayName":"","password":"abc","roles":[],"areaId":"nowhere"}
                    """)
            #expect(answer.status.code == 422)
            #expect(answer.problemCode == "validation_failed")
            let codes = Set((answer.json["errors"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? [])
            #expect(codes.isSuperset(of: ["invalid_username", "required", "password_too_short"]))
            let enumValue = try await client.call(.get, "/api/v1/areas?level=province", token: admin)
            #expect(enumValue.problemCode == "invalid_parameter")
            let badCursor = try await client.call(.get, "/api/v1/areas?cursor=%%%", token: admin)
            #expect(badCursor.problemCode == "validation_failed")
        }
    }
}
