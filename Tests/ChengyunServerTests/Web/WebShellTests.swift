import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct WebShellTests {
    @Test func theLoginPageAndItsScriptsAreServed() async throws {
        try await withDemoClient(.sqlite) { client, _, _ in
            let page = try await client.call(.get, "/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.contains("text/html") == true)
            #expect(page.text.contains(#"id="login-form""#))
            #expect(page.text.contains(#"lang="zh-CN""#))
            for asset in ["/assets/app.js", "/assets/api.js", "/assets/i18n.js", "/assets/pages.js", "/assets/dom.js", "/assets/workbench.js",
                          "/assets/text-cases.js", "/assets/cockpit.js", "/assets/text-cockpit.js", "/assets/search.js", "/assets/style.css",
                          "/citizen.html", "/assets/citizen.js", "/assets/text-portal.js", "/assets/citizen.css",
                          "/assets/logo.svg"] {
                let answer = try await client.call(.get, asset)
                #expect(answer.status == .ok, "\(asset)")
            }
            let i18n = try await client.call(.get, "/assets/i18n.js")
            #expect(i18n.text.contains("en: {") && i18n.text.contains("zh: {"), "both languages ship")
            // No third-party code: every script import is our own relative module.
            for asset in ["/assets/app.js", "/assets/pages.js", "/assets/workbench.js", "/assets/dom.js", "/assets/search.js", "/assets/citizen.js"] {
                let script = try await client.call(.get, asset).text
                #expect(!script.contains("http://") && !script.contains("https://"), "\(asset) loads nothing from outside")
            }
            // Every text has both languages: the same keys under zh and en in each dictionary file.
            for asset in ["/assets/i18n.js", "/assets/text-cases.js", "/assets/text-cockpit.js", "/assets/text-portal.js"] {
                let text = try await client.call(.get, asset).text
                guard let zh = text.range(of: "zh: {"), let en = text.range(of: "en: {") else {
                    Issue.record("\(asset) has no zh and en dictionaries")
                    continue
                }
                func keys(_ part: Substring) -> Set<String> {
                    Set(part.matches(of: /'([a-zA-Z_]+\.[a-zA-Z_.]+)':/).map { String($0.output.1) })
                }
                let zhKeys = keys(text[zh.upperBound..<en.lowerBound]), enKeys = keys(text[en.upperBound...])
                #expect(!zhKeys.isEmpty && zhKeys == enKeys, "\(asset): only in zh \(zhKeys.subtracting(enKeys)), only in en \(enKeys.subtracting(zhKeys))")
            }
        }
    }
}

@Suite struct SystemRoutesTests {
    @Test(arguments: TestBackend.available) func healthAndMetrics(backend: TestBackend) async throws {
        try await withDemoClient(backend) { client, _, _ in
            let health = try await client.call(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.json["status"] as? String == "ok")
            #expect(health.json["database"] as? String == backend.rawValue)
            _ = try await client.call(.get, "/api/v1/areas")
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("chengyun_http_requests_total"))
            #expect(metrics.text.contains(#"route="/api/v1/areas""#))
        }
    }

    @Test func unknownRoutesAnswerProblemJSON() async throws {
        try await withDemoClient(.sqlite) { client, _, _ in
            let answer = try await client.call(.get, "/api/v1/no-such-thing")
            #expect(answer.status == .notFound)
            #expect(answer.isProblem)
            #expect(answer.problemCode == "not_found")
        }
    }
}
