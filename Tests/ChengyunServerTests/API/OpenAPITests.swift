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

    @Test func theDocumentIsServed() async throws {
        try await withDemoClient(.sqlite) { client, _, _ in
            let answer = try await client.call(.get, "/api/v1/openapi.json")
            #expect(answer.status == .ok)
            #expect(answer.json["openapi"] as? String == "3.1.0")
        }
    }
}
