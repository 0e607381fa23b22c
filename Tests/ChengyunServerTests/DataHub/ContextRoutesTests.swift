import ChengyunCore
import ChengyunStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The NGSI-LD door over HTTP on the demo city: JSON or JSON-LD as asked, the count header,
/// NGSI-LD's problem types beside the stable codes, bodies refused with reasons, and a
/// subscription's life: created with its Location, read, listed, deleted.
@Suite struct ContextRoutesTests {
    private func list(_ answer: HTTPAnswer) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: answer.body)) as? [[String: Any]] ?? []
    }

    @Test func entitiesAnswerAsTheClientAsks() async throws {
        try await withDemoClient(.sqlite) { client, credentials, _ in
            let admin = try await client.login("admin", credentials.password(of: "admin"))
            #expect(try await client.call(.get, "/ngsi-ld/v1/entities?type=Device").status == .unauthorized)

            let counted = try await client.call(
                .get, "/ngsi-ld/v1/entities?type=Device&limit=0&count=true", token: admin)
            let total = Int(counted.headers[HTTPField.Name("NGSILD-Results-Count")!] ?? "") ?? 0
            #expect(counted.status == .ok && list(counted).isEmpty && total > 100)
            #expect(counted.headers[.contentType] == "application/json")
            #expect(counted.headers[HTTPField.Name("Link")!]?.contains("ngsi-ld-core-context.jsonld") == true)

            let ld = try await client.call(
                .get, "/ngsi-ld/v1/entities?type=Device&limit=2&options=keyValues", token: admin,
                headers: [.accept: "application/ld+json"])
            let two = list(ld)
            #expect(ld.headers[.contentType] == "application/ld+json" && two.count == 2)
            #expect(
                two.allSatisfy { $0["@context"] as? String == NGSILD.coreContext && $0["deviceCategory"] is String })

            // A + in the query is a space, and a real plus arrives as %2B.
            let spaced = try await client.call(
                .get,
                "/ngsi-ld/v1/entities?type=Device&georel=near;maxDistance==300&geometry=Point&coordinates=%5B120.5625,+31.2765%5D",
                token: admin)
            #expect(spaced.status == .ok, "\(spaced.text.prefix(200))")

            let unknown = try await client.call(.get, "/ngsi-ld/v1/entities?type=Vehicle&count=true", token: admin)
            #expect(list(unknown).isEmpty && unknown.headers[HTTPField.Name("NGSILD-Results-Count")!] == "0")

            let first = try #require(
                list(try await client.call(.get, "/ngsi-ld/v1/entities?type=Device&limit=1", token: admin)).first)
            let id = try #require(first["id"] as? String)
            let one = try await client.call(.get, "/ngsi-ld/v1/entities/\(id)?attrs=deviceState", token: admin)
            #expect(Set(one.json.keys) == ["id", "type", "deviceState"])

            for (path, code, type) in [
                ("/ngsi-ld/v1/entities?type=Device&q=pm25%3E%3E1", "invalid_query", "BadRequestData"),
                ("/ngsi-ld/v1/entities?type=Device&limit=0", "invalid_query", "BadRequestData"),
                ("/ngsi-ld/v1/entities?type=Device&georel=within", "invalid_query", "BadRequestData"),
                ("/ngsi-ld/v1/entities?type=Device&q=%ZZ", "invalid_query", "BadRequestData"),
                ("/ngsi-ld/v1/entities?type=Device&format=flat", "invalid_query", "BadRequestData"),
                ("/ngsi-ld/v1/entities/urn:ngsi-ld:Device:NONE", "not_found", "ResourceNotFound"),
                ("/ngsi-ld/v1/subscriptions/urn:ngsi-ld:Subscription:NONE", "not_found", "ResourceNotFound"),
            ] {
                let answer = try await client.call(.get, path, token: admin)
                #expect(answer.isProblem && answer.problemCode == code, "\(path): \(answer.text.prefix(200))")
                #expect(answer.json["type"] as? String == "https://uri.etsi.org/ngsi-ld/errors/\(type)", "\(path)")
            }

            let query = try await client.call(
                .post, "/ngsi-ld/v1/entityOperations/query?count=true", token: admin,
                json: #"{"type":"Query","entities":[{"id":"\#(id)"},{"type":"Alarm","idPattern":"^nothing$"}]}"#)
            #expect(list(query).map { $0["id"] as? String } == [id])
            #expect(query.headers[HTTPField.Name("NGSILD-Results-Count")!] == "1")
        }
    }

    @Test func aSubscriptionsLife() async throws {
        try await withDemoClient(.sqlite) { client, credentials, _ in
            let admin = try await client.login("admin", credentials.password(of: "admin"))
            let leader = try await client.login("leader.gusu", credentials.password(of: "leader.gusu"))
            let body =
                #"{"type":"Subscription","entities":[{"type":"Alarm"}],"notification":{"endpoint":{"uri":"http://127.0.0.1:9/n"}}}"#
            for (json, code) in [
                (#"{"entities": "#, "invalid_subscription"), ("[1,2]", "invalid_subscription"),
                (
                    #"{"entities":[{"type":"Alarm"}],"geoQ":{},"notification":{"endpoint":{"uri":"http://x.test"}}}"#,
                    "invalid_subscription"
                ),
            ] {
                let refused = try await client.call(.post, "/ngsi-ld/v1/subscriptions", token: admin, json: json)
                #expect(refused.status == .badRequest && refused.problemCode == code, "\(json)")
            }
            let plain = try await client.call(
                .post, "/ngsi-ld/v1/subscriptions", token: admin, json: nil, headers: [.contentType: "text/plain"])
            #expect(
                plain.status.code == 415
                    && plain.json["type"] as? String == "https://uri.etsi.org/ngsi-ld/errors/InvalidRequest")

            let created = try await client.call(
                .post, "/ngsi-ld/v1/subscriptions", token: admin, json: body,
                headers: [.contentType: "application/ld+json"])
            let id = try #require(created.json["id"] as? String)
            #expect(created.status == .created && created.headers[.location] == "/ngsi-ld/v1/subscriptions/\(id)")
            #expect((created.json["signingSecret"] as? String)?.hasPrefix("whsec_") == true)
            let read = try await client.call(.get, "/ngsi-ld/v1/subscriptions/\(id)", token: admin)
            #expect(read.json["id"] as? String == id && read.json["isActive"] as? Bool == true)
            let listed = try await client.call(.get, "/ngsi-ld/v1/subscriptions", token: admin)
            // The demo city is shared with other suites, which may have subscribed too.
            #expect(list(listed).contains { $0["id"] as? String == id }, "\(listed.status) \(listed.text.prefix(300))")
            // Another's subscription is not there for them.
            #expect(try await client.call(.get, "/ngsi-ld/v1/subscriptions/\(id)", token: leader).status == .notFound)
            #expect(
                !list(try await client.call(.get, "/ngsi-ld/v1/subscriptions", token: leader)).contains {
                    $0["id"] as? String == id
                })
            #expect(
                try await client.call(.delete, "/ngsi-ld/v1/subscriptions/\(id)", token: leader).status == .notFound)

            #expect(
                try await client.call(.delete, "/ngsi-ld/v1/subscriptions/\(id)", token: admin).status == .noContent)
            #expect(try await client.call(.get, "/ngsi-ld/v1/subscriptions/\(id)", token: admin).status == .notFound)
            #expect(try await client.call(.delete, "/ngsi-ld/v1/subscriptions/\(id)", token: admin).status == .notFound)
        }
    }

    /// Another system's key with `context:read` reads entities in its area, as staff read them;
    /// a key without the scope is refused, and subscribing stays staff's.
    @Test func keysOfOtherSystemsReadEntitiesInTheirArea() async throws {
        try await withDemoClient(.sqlite) { client, credentials, platform in
            let admin = try await client.login("admin", credentials.password(of: "admin"))
            let key = { (code: String, scopes: [KeyScope]) in
                let area = try #require(
                    try await platform.pool.read { try await AreaRepository().find(code: code, on: $0) })
                let made = try await platform.people.createAPIKey(
                    NewAPIKey(name: "twin \(code)", scopes: scopes, areaId: area.id), by: .system)
                return HTTPFields([HTTPField(name: HTTPField.Name("X-API-Key")!, value: made.secret)])
            }
            let (city, district, sensors) = (
                try await key("320500", [.contextRead]), try await key("320508", [.contextRead]),
                try await key("320500", [.telemetryWrite])
            )
            let count = { (headers: HTTPFields, token: String?) in
                let answer = try await client.call(
                    .get, "/ngsi-ld/v1/entities?type=Device&limit=0&count=true", token: token, headers: headers)
                #expect(answer.status == .ok, "\(answer.text.prefix(200))")
                return Int(answer.headers[HTTPField.Name("NGSILD-Results-Count")!] ?? "") ?? -1
            }
            // Other tests add devices to the shared demo city meanwhile: the key's count lies
            // between staff's before and after it.
            let before = try await count([:], admin)
            let cityCount = try await count(city, nil)
            let theirs = try await count(district, nil)
            let after = try await count([:], admin)
            #expect(before <= cityCount && cityCount <= after && before > 0, "\(before) \(cityCount) \(after)")
            #expect(theirs > 0 && theirs < before, "\(theirs) of \(before)")

            let alarm = try #require(
                list(try await client.call(.get, "/ngsi-ld/v1/entities?type=Alarm&limit=1", token: admin)).first)
            let id = try #require(alarm["id"] as? String)
            let byKey = try await client.call(.get, "/ngsi-ld/v1/entities/\(id)", headers: city)
            let byStaff = try await client.call(.get, "/ngsi-ld/v1/entities/\(id)", token: admin)
            #expect(byKey.status == .ok && Set(byKey.json.keys) == Set(byStaff.json.keys))
            #expect(try await client.call(.get, "/ngsi-ld/v1/types", headers: district).status == .ok)

            let refused = try await client.call(.get, "/ngsi-ld/v1/entities?type=Device", headers: sensors)
            #expect(refused.status == .forbidden && refused.isProblem)
            let subscribe = try await client.call(
                .post, "/ngsi-ld/v1/subscriptions",
                json: #"{"entities":[{"type":"Alarm"}],"notification":{"endpoint":{"uri":"http://127.0.0.1:9/k"}}}"#,
                headers: city)
            #expect(subscribe.status == .forbidden)
            #expect(try await client.call(.get, "/ngsi-ld/v1/subscriptions", headers: city).status == .forbidden)
        }
    }
}
