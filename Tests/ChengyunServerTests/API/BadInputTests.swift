import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Bad input on every write route answers problem+json with a stable code, never a 500. The
/// write routes are enumerated from the router; one missing from the table below fails the test.
@Suite struct BadInputTests {
    struct Probe {
        /// A field the body requires (nil when every field is optional).
        var requiredField: String?
        /// A body with one field of the wrong type.
        var wrongType: String
        var wrongField: String
    }

    static let probes: [String: Probe] = [
        "POST /api/v1/session": Probe(
            requiredField: "username", wrongType: #"{"username":1,"password":"x"}"#, wrongField: "username"),
        "POST /api/v1/citizen-session": Probe(
            requiredField: "phone", wrongType: #"{"phone":[],"password":"x"}"#, wrongField: "phone"),
        "POST /api/v1/citizens": Probe(
            requiredField: "phone", wrongType: #"{"phone":"13900000000","displayName":true,"password":"x"}"#,
            wrongField: "displayName"),
        "POST /api/v1/me/password": Probe(
            requiredField: "currentPassword", wrongType: #"{"currentPassword":"a","newPassword":5}"#,
            wrongField: "newPassword"),
        "POST /api/v1/areas": Probe(
            requiredField: "code", wrongType: #"{"code":320500,"name":"x","level":"city"}"#, wrongField: "code"),
        "PATCH /api/v1/areas/{id}": Probe(
            requiredField: "name", wrongType: #"{"name":{"zh":"x"}}"#, wrongField: "name"),
        "POST /api/v1/grid-cells": Probe(
            requiredField: "geometry", wrongType: #"{"code":"1","name":"x","geometry":"POLYGON"}"#,
            wrongField: "geometry"),
        "PATCH /api/v1/grid-cells/{id}": Probe(requiredField: nil, wrongType: #"{"name":7}"#, wrongField: "name"),
        "POST /api/v1/departments": Probe(
            requiredField: "kind", wrongType: #"{"code":"D","name":"x","kind":"sanitation","areaId":1}"#,
            wrongField: "areaId"),
        "PATCH /api/v1/departments/{id}": Probe(
            requiredField: nil, wrongType: #"{"active":"yes"}"#, wrongField: "active"),
        "POST /api/v1/users": Probe(
            requiredField: "roles",
            wrongType: #"{"username":"u","displayName":"x","password":"p","roles":"admin","areaId":"a"}"#,
            wrongField: "roles"),
        "PATCH /api/v1/users/{id}": Probe(requiredField: nil, wrongType: #"{"roles":[1]}"#, wrongField: "roles[0]"),
        "PUT /api/v1/users/{id}/password": Probe(
            requiredField: "password", wrongType: #"{"password":null}"#, wrongField: "password"),
        "POST /api/v1/api-keys": Probe(
            requiredField: "scopes", wrongType: #"{"name":"k","scopes":"telemetry:write","areaId":"a"}"#,
            wrongField: "scopes"),
        "POST /api/v1/matters": Probe(
            requiredField: "limits",
            wrongType: #"{"kind":"event","majorCode":"01","minorCode":"02","name":"x","limits":{}}"#,
            wrongField: "limits"),
        "PUT /api/v1/matters/{id}": Probe(
            requiredField: "kind",
            wrongType: #"{"kind":"event","majorCode":"01","minorCode":"02","name":"x","limits":[],"autoAccept":"no"}"#,
            wrongField: "autoAccept"),
        "POST /api/v1/matters/import": Probe(
            requiredField: "matters", wrongType: #"{"matters":{}}"#, wrongField: "matters"),
        "PUT /api/v1/calendar": Probe(
            requiredField: "weekPeriods", wrongType: #"{"name":"c","weekPeriods":"weekdays"}"#,
            wrongField: "weekPeriods"),
        "POST /api/v1/routing-rules": Probe(
            requiredField: "areaId", wrongType: #"{"areaId":"a","departmentIds":"d"}"#, wrongField: "departmentIds"),
        "POST /api/v1/cases": Probe(
            requiredField: "description",
            wrongType: #"{"matterCode":"E0102","description":"x","lon":"east","lat":31.3}"#, wrongField: "lon"),
        "POST /api/v1/public/reports": Probe(
            requiredField: "lat",
            wrongType: #"{"matterCode":"E0102","description":"x","lon":120.6,"lat":31.3,"customFields":[1]}"#,
            wrongField: "customFields"),
        "POST /api/v1/cases/{id}/actions": Probe(
            requiredField: "action", wrongType: #"{"action":"file","minutes":"sixty"}"#, wrongField: "minutes"),
        "PUT /api/v1/evaluation/weights": Probe(
            requiredField: "inspector",
            wrongType:
                #"{"inspector":"forty","intake":[25,40,35],"supervisor":[25,40,35],"dispatcher":[20,40,40],"department":[10,30,30,30],"area":[20,30,30,20]}"#,
            wrongField: "inspector"),
        "POST /api/v1/device-kinds": Probe(
            requiredField: "metrics",
            wrongType: #"{"code":"k","name":"x","nameEn":"x","metrics":"pm25","tracksPosition":false,"builtIn":false}"#,
            wrongField: "metrics"),
        "POST /api/v1/devices": Probe(
            requiredField: "kindCode", wrongType: #"{"code":"d1","kindCode":"gas","name":"x","lon":"east","lat":31.3}"#,
            wrongField: "lon"),
        "POST /api/v1/devices/{id}/disarm": Probe(
            requiredField: "until", wrongType: #"{"until":"tomorrow","reason":"换电池"}"#, wrongField: "until"),
        "POST /api/v1/alarms/{id}/acknowledge": Probe(
            requiredField: nil, wrongType: #"{"note":5}"#, wrongField: "note"),
        "POST /api/v1/alarms/{id}/clear": Probe(requiredField: nil, wrongType: #"{"note":["x"]}"#, wrongField: "note"),
        "POST /api/v1/alarms/{id}/case": Probe(
            requiredField: "caseId", wrongType: #"{"caseId":5}"#, wrongField: "caseId"),
        "POST /api/v1/alarm-rules": Probe(
            requiredField: "condition",
            wrongType: #"{"name":"r","kindCode":"gas","condition":{"type":"noData","minutes":"ten"}}"#,
            wrongField: "condition.minutes"),
        "PUT /api/v1/alarm-rules/{id}": Probe(
            requiredField: "name",
            wrongType: #"{"name":"r","kindCode":"gas","condition":{"type":"noData","minutes":30},"enabled":"yes"}"#,
            wrongField: "enabled"),
        "POST /api/v1/me/reports/{id}/rating": Probe(
            requiredField: "satisfaction", wrongType: #"{"satisfaction":"great"}"#, wrongField: "satisfaction"),
        "POST /api/v1/public/reports/{number}/rating": Probe(
            requiredField: "satisfaction", wrongType: #"{"satisfaction":"satisfied","contact":5}"#,
            wrongField: "contact"),
        "PUT /api/v1/indicators/tree": Probe(
            requiredField: "indicators", wrongType: #"{"indicators":{"code":"a"}}"#, wrongField: "indicators"),
        "POST /api/v1/indicators/{code}/values": Probe(
            requiredField: "items", wrongType: #"{"items":[{"areaId":"a","at":"today","value":1}]}"#,
            wrongField: "items[0].at"),
        "POST /api/v1/supervision-orders": Probe(
            requiredField: nil, wrongType: #"{"caseId":42}"#, wrongField: "caseId"),
        "POST /api/v1/patrol-tasks": Probe(
            requiredField: "title", wrongType: #"{"title":"t","cells":"c","inspectorId":"i","deadline":1}"#,
            wrongField: "cells"),
        "POST /api/v1/patrol-tasks/{id}/check-ins": Probe(
            requiredField: "lon", wrongType: #"{"lon":"east","lat":31.3}"#, wrongField: "lon"),
        "POST /api/v1/emergency/resources": Probe(
            requiredField: "code",
            wrongType: #"{"code":"E1","name":"泵车","kind":"vehicle","capabilities":"drainage","lon":120.6,"lat":31.3}"#,
            wrongField: "capabilities"),
        "POST /api/v1/emergency/resources/{id}/events": Probe(
            requiredField: "event", wrongType: #"{"event":"assign","lon":"east"}"#, wrongField: "lon"),
        "POST /api/v1/patrol-tasks/{id}/complete": Probe(
            requiredField: nil, wrongType: #"{"note":5}"#, wrongField: "note"),
        "POST /api/v1/patrol-tasks/{id}/cancel": Probe(
            requiredField: nil, wrongType: #"{"note":[]}"#, wrongField: "note"),
        "POST /api/v1/warning-subscriptions": Probe(
            requiredField: nil, wrongType: #"{"minLevel":3}"#, wrongField: "minLevel"),
        "POST /api/v1/supervision-orders/{id}/response": Probe(
            requiredField: "response", wrongType: #"{"response":["ok"]}"#, wrongField: "response"),
        "PUT /api/v1/supervision/policy": Probe(
            requiredField: "template",
            wrongType: #"{"autoSuperviseAfterMinutes":"soon","orderDeadlineHours":24,"template":{"text":"x"}}"#,
            wrongField: "autoSuperviseAfterMinutes"),
        "PUT /api/v1/evaluation/scheme": Probe(
            requiredField: "items", wrongType: #"{"items":[{"indicatorCode":"city.clean","weight":"heavy"}]}"#,
            wrongField: "items[0].weight"),
        "POST /api/v1/categories/import": Probe(
            requiredField: "majors", wrongType: #"{"majors":{},"minors":[]}"#, wrongField: "majors"),
    ]
    /// Write routes that take no body, and those that take CSV, NDJSON or multipart (probed in
    /// HotlineImportTests, AttachmentTests, DevicesRoutesTests, TelemetryRoutesTests and Open311ContractTests).
    static let bodiless: Set<String> = [
        "POST /api/v1/users/{id}/unlock", "POST /api/v1/indicators/compute",
        "POST /api/v1/indicators/{code}/values.csv", "POST /api/v1/supervision-orders/{id}/read",
        "POST /api/v1/cases/import", "POST /api/v1/attachments",
        "POST /api/v1/devices/import", "POST /api/v1/devices/{id}/rearm", "POST /api/v1/telemetry",
        "POST /open311/v2/{resource}",
    ]

    @Test(arguments: TestBackend.available) func everyWriteRouteRefusesBadBodiesCleanly(backend: TestBackend)
        async throws
    {
        try await withDemoClient(backend) { client, credentials, platform in
            let admin = try await client.login("admin", credentials.password(of: "admin"))
            let inspector = try await client.login(
                "inspector.pingjiang", credentials.password(of: "inspector.pingjiang"))
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
                    of: "{number}", with: "E0102")
                let method = HTTPRequest.Method(route.method)!
                // Each probe is sent by someone the route lets in, so it reaches the body checks.
                let inspectorOnly: Set<String> = [
                    "POST /api/v1/cases", "POST /api/v1/patrol-tasks/{id}/check-ins",
                    "POST /api/v1/patrol-tasks/{id}/complete",
                ]
                // public/reports is for the public: sent without a token (staff are refused there).
                let admin: String? =
                    key == "POST /api/v1/public/reports"
                    ? nil
                    : inspectorOnly.contains(key)
                        ? inspector : key.hasPrefix("POST /api/v1/me/reports") ? citizen : admin

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
