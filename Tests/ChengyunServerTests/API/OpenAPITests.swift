import ChengyunServer
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct OpenAPITests {
    /// Every JSON route the router serves is documented, with its method.
    @Test func everyRouteIsInTheDocument() async throws {
        let (platform, _) = try await DemoFixture.shared.platform(.sqlite)
        let document = try JSONSerialization.jsonObject(with: OpenAPIDocument.data()) as! [String: Any]
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        #expect(
            (document["info"] as? [String: Any])?["version"] as? String == Chengyun.version,
            "one version: the document's is the binary's")
        let paths = document["paths"] as! [String: [String: Any]]
        let routes = registeredRoutes(platform)
        #expect(routes.count > 30)
        for route in routes {
            let documented = paths[route.path]?[route.method.lowercased()] != nil
            #expect(documented, "\(route.method) \(route.path) is missing from openapi.json")
        }
        // And nothing documented is missing from the router.
        let served = Set(routes.map { "\($0.method) \($0.path)" })
        for (path, methods) in paths {
            for method in methods.keys {
                #expect(
                    served.contains("\(method.uppercased()) \(path)"), "\(method) \(path) is documented but not served")
            }
        }
    }

    /// The error answers every route shares are written once, in `components/responses`, and
    /// referred to; every reference in the document leads somewhere.
    @Test func sharedAnswersAreReferencedAndEveryReferenceResolves() throws {
        let data = try OpenAPIDocument.data()
        let document = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let components = document["components"] as! [String: [String: Any]]
        let shared = components["responses"] ?? [:]
        #expect(
            Set(shared.keys).isSuperset(of: [
                "Unauthenticated", "BadRequest", "Forbidden", "NotFound", "UnsupportedMediaType", "ValidationFailed",
            ]))
        // The shared answers' texts, and the bare generic ones they replaced.
        let sharedTexts = Set(shared.values.compactMap { ($0 as? [String: Any])?["description"] as? String })
            .union([
                "Not logged in", "Not found", "not_found", "Not JSON", "validation_failed", "Bad input",
                "invalid_parameter",
            ])
        var referred = 0
        var inline = 0
        for (path, methods) in document["paths"] as! [String: [String: Any]] {
            for (method, operation) in methods {
                guard let responses = (operation as? [String: Any])?["responses"] as? [String: [String: Any]] else {
                    continue
                }
                for (status, answer) in responses {
                    if let ref = answer["$ref"] as? String {
                        referred += 1
                        #expect(
                            shared[String(ref.split(separator: "/").last ?? "")] != nil,
                            "\(method) \(path) \(status) refers to \(ref), which is not in components/responses")
                    }
                    // An answer spelt out inline is one of its own, not a copy of a shared one.
                    if answer["$ref"] == nil, let description = answer["description"] as? String,
                        let content = answer["content"] as? [String: Any], content["application/problem+json"] != nil
                    {
                        inline += 1
                        #expect(
                            !sharedTexts.contains(description),
                            "\(method) \(path) \(status) repeats a shared answer inline")
                    }
                }
            }
        }
        // 555 error answers were written inline before; what stays inline says something of its own.
        // (101 with the video channel's own 409 and 422 answers; 115 with the data catalog's own
        // 403, 409 and 413 answers: who owns a dataset, its lifecycle, its loads; 132 with the
        // NGSI-LD door's own 400, 409 and 413 answers; 150 with pulls' and the service gateway's
        // 403, 409, 413, 502 and 504.)
        #expect(referred > 400 && inline < 160, "\(referred) referred, \(inline) inline")
        let text = String(decoding: data, as: UTF8.self)
        for match in text.matches(of: /"\$ref": "#\/components\/(schemas|responses)\/([A-Za-z0-9_]+)"/) {
            #expect(
                components[String(match.output.1)]?[String(match.output.2)] != nil,
                "\(match.output.0) leads nowhere")
        }
    }

    @Test func theDocumentIsServed() async throws {
        try await withDemoClient(.sqlite) { client, _, _ in
            let answer = try await client.call(.get, "/api/v1/openapi.json")
            #expect(answer.status == .ok)
            #expect(answer.json["openapi"] as? String == "3.1.0")
        }
    }
}
