import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The same application on a real socket: a smoke test of the HTTP server itself.
@Suite struct LiveServerTests {
    @Test func aLiveServerServesLoginAndTheAPI() async throws {
        let (platform, credentials) = try await DemoFixture.shared.platform(.sqlite)
        try await testApplication(platform).test(.live) { client in
            #expect(try await client.call(.get, "/healthz").status == .ok)
            #expect(try await client.call(.get, "/").text.contains("login-form"))
            let token = try await client.login("leader", credentials.password(of: "leader"))
            let areas = try await client.call(.get, "/api/v1/areas?level=district", token: token)
            #expect(
                (areas.json["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String }.sorted() == [
                    "吴中区", "姑苏区", "相城区",
                ])
        }
    }
}
