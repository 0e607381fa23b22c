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
            // Every file of the web folder is served, and no script loads anything from outside.
            for name in try webAssetNames() {
                let asset = name.hasSuffix(".html") ? "/\(name)" : "/assets/\(name)"
                let answer = try await client.call(.get, asset)
                #expect(answer.status == .ok, "\(asset)")
                if name.hasSuffix(".js") {
                    // The SVG namespace is a name, not a place; every other address would be a load.
                    let text = answer.text.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
                    #expect(
                        !text.contains("http://") && !text.contains("https://"), "\(asset) loads nothing from outside")
                    let imports = answer.text.matches(of: /from '([^']+)'/).map { String($0.output.1) }
                    #expect(
                        imports.allSatisfy { $0.hasPrefix("./") }, "\(asset) imports only our own modules: \(imports)")
                }
            }
            let i18n = try await client.call(.get, "/assets/i18n.js")
            #expect(i18n.text.contains("en: {") && i18n.text.contains("zh: {"), "both languages ship")
            // Every text has both languages: the same keys under zh and en in each dictionary file.
            let dictionaries = try webAssetNames().filter {
                $0 == "i18n.js" || ($0.hasPrefix("text-") && $0.hasSuffix(".js"))
            }
            #expect(dictionaries.count >= 5)
            for asset in dictionaries.map({ "/assets/\($0)" }) {
                let text = try await client.call(.get, asset).text
                guard let zh = text.range(of: "zh: {"), let en = text.range(of: "en: {") else {
                    Issue.record("\(asset) has no zh and en dictionaries")
                    continue
                }
                func keys(_ part: Substring) -> Set<String> {
                    Set(part.matches(of: /'([a-zA-Z_]+\.[a-zA-Z_.]+)':/).map { String($0.output.1) })
                }
                let zhKeys = keys(text[zh.upperBound..<en.lowerBound]), enKeys = keys(text[en.upperBound...])
                #expect(
                    !zhKeys.isEmpty && zhKeys == enKeys,
                    "\(asset): only in zh \(zhKeys.subtracting(enKeys)), only in en \(enKeys.subtracting(zhKeys))")
            }
        }
    }
}

/// The web folder's files as they are in the source tree (pages at its top, assets below).
private func webAssetNames() throws -> [String] {
    let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/ChengyunServer/Web")
    let pages = try FileManager.default.contentsOfDirectory(atPath: web.path).filter { $0.hasSuffix(".html") }
    let assets = try FileManager.default.contentsOfDirectory(atPath: web.appendingPathComponent("assets").path)
    #expect(pages.contains("index.html") && assets.contains("app.js"), "the web folder is found at \(web.path)")
    return (pages + assets).sorted()
}

@Suite struct SystemRoutesTests {
    @Test(arguments: TestBackend.available) func healthAndMetrics(backend: TestBackend) async throws {
        try await withDemoClient(backend) { client, _, _ in
            let health = try await client.call(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.json["status"] as? String == "ok")
            #expect(health.json["database"] as? String == backend.rawValue)
            #expect(health.json["ready"] as? Bool == true && (health.json["node"] as? String)?.isEmpty == false)
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
