import ChengyunCore
@testable import ChengyunServer
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The browser and the wire: headers on every answer, cookie-borne writes only from the
/// platform's own pages, a page (not JSON) for a browser that asks for a missing page, CSV cells
/// that cannot run as formulas, `/metrics` behind a network or key, city-wide settings for a
/// platform-wide administrator, handlers kept to their own department's orders, and one
/// credential a request.
@Suite struct WebHardeningTests {
    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        let (platform, _) = try await DemoFixture.shared.platform(.sqlite)
        try await testApplication(platform).test(.router) { client in
            for path in ["/", "/assets/app.js", "/api/v1/me", "/api/v1/nothing-here", "/healthz"] {
                let answer = try await client.call(.get, path)
                let policy = answer.headers[.contentSecurityPolicy] ?? ""
                #expect(
                    policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"),
                    "\(path): \(policy)")
                #expect(!policy.contains("unsafe-inline"), "\(path)")
                #expect(answer.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(answer.headers[HTTPField.Name("Referrer-Policy")!] != nil, "\(path)")
            }
        }
    }

    @Test func cookieWritesMustComeFromThePlatformsOwnPages() async throws {
        let (platform, credentials) = try await DemoFixture.shared.platform(.sqlite)
        try await testApplication(platform).test(.router) { client in
            let token = try await client.login("intake", credentials.password(of: "intake"))
            let cookie = "chengyun_session=\(token)"
            let foreign = try await client.call(
                .delete, "/api/v1/session",
                headers: [.cookie: cookie, HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(foreign.status == .forbidden && foreign.problemCode == "cross_site_request")
            let unsaid = try await client.call(.post, "/api/v1/me/password", json: "{}", headers: [.cookie: cookie])
            #expect(
                unsaid.status == .forbidden && unsaid.problemCode == "cross_site_request",
                "a write that names no origin")
            let otherOrigin = try await client.call(
                .delete, "/api/v1/session",
                headers: [.cookie: cookie, .origin: "https://evil.example"])
            #expect(otherOrigin.status == .forbidden)
            // Reading with the cookie needs no origin; the same session is still live.
            #expect(try await client.call(.get, "/api/v1/me", headers: [.cookie: cookie]).status == .ok)
            let own = try await client.call(
                .delete, "/api/v1/session",
                headers: [.cookie: cookie, HTTPField.Name("Sec-Fetch-Site")!: "same-origin"])
            #expect(own.status == .noContent)
            // A form post (not JSON) is refused even with a bearer token.
            let bearer = try await client.login("intake", credentials.password(of: "intake"))
            let form = try await client.call(
                .post, "/api/v1/cases", token: bearer,
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(form.status == .unsupportedMediaType)
        }
    }

    @Test func aRequestCarriesOneCredential() async throws {
        let (platform, credentials) = try await DemoFixture.shared.platform(.sqlite)
        try await testApplication(platform).test(.router) { client in
            let intake = try await client.login("intake", credentials.password(of: "intake"))
            let leader = try await client.login("leader", credentials.password(of: "leader"))
            let keyAndToken = try await client.call(
                .get, "/api/v1/me", token: intake, headers: [HTTPField.Name("X-API-Key")!: "cyk_anything"])
            #expect(keyAndToken.status == .badRequest && keyAndToken.problemCode == "ambiguous_credentials")
            let twoTokens = try await client.call(
                .get, "/api/v1/me",
                headers: HTTPFields([
                    HTTPField(name: .authorization, value: "Bearer \(intake)"),
                    HTTPField(name: .authorization, value: "Bearer \(leader)"),
                ]))
            #expect(twoTokens.status == .badRequest && twoTokens.problemCode == "ambiguous_credentials")
            // A proxy's Basic header beside a token is not a second credential here.
            let proxied = try await client.call(
                .get, "/api/v1/me",
                headers: HTTPFields([
                    HTTPField(name: .authorization, value: "Basic cHJveHk6cGFzcw=="),
                    HTTPField(name: .authorization, value: "Bearer \(intake)"),
                ]))
            #expect(proxied.status == .ok, "\(proxied.text)")
            // The cookie a browser sends by itself gives way to the header the caller set.
            let me = try await client.call(
                .get, "/api/v1/me", token: intake, headers: [.cookie: "chengyun_session=\(leader)"])
            #expect(me.status == .ok && String(decoding: me.body, as: UTF8.self).contains("\"intake\""))
        }
    }

    @Test func theSameOriginRuleByItsHeaders() {
        #expect(SameOrigin.allows(fetchSite: "same-origin", origin: nil, authority: nil))
        #expect(!SameOrigin.allows(fetchSite: "same-site", origin: nil, authority: nil))
        #expect(SameOrigin.allows(fetchSite: nil, origin: "http://127.0.0.1:8080", authority: "127.0.0.1:8080"))
        #expect(!SameOrigin.allows(fetchSite: nil, origin: "http://127.0.0.1:8081", authority: "127.0.0.1:8080"))
        #expect(!SameOrigin.allows(fetchSite: nil, origin: "null", authority: "127.0.0.1:8080"))
        #expect(!SameOrigin.allows(fetchSite: nil, origin: nil, authority: "127.0.0.1:8080"))
    }

    @Test func aBrowserAskingForAMissingPageGetsAPage() async throws {
        let (platform, _) = try await DemoFixture.shared.platform(.sqlite)
        try await testApplication(platform).test(.router) { client in
            let page = try await client.call(
                .get, "/no-such-page", headers: [.accept: "text/html,application/xhtml+xml", .acceptLanguage: "zh-CN"])
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("页面不存在") && page.text.contains("href=\"/\""))
            let english = try await client.call(
                .get, "/no-such-page", headers: [.accept: "text/html", .acceptLanguage: "en-GB"])
            #expect(english.text.contains("<html lang=\"en\">"))
            let api = try await client.call(.get, "/api/v1/no-such-route", headers: [.accept: "text/html"])
            #expect(api.status == .notFound && api.isProblem, "API clients keep problem+json")
        }
    }

    @Test func csvCellsCannotRunAsFormulas() async throws {
        let (platform, credentials) = try await DemoFixture.shared.platform(.sqlite)
        try await testApplication(platform).test(.router) { client in
            let cell = try await platform.organisation.listGridCells(
                areaId: nil, page: PageRequest(limit: 4), by: .system
            ).items[3]
            let point = cell.geometry.centroid
            let intake = try await client.login("intake", credentials.password(of: "intake"))
            let formula = "=HYPERLINK(\\\"http://x.example\\\",\\\"点我\\\")"
            let report = try await client.call(
                .post, "/api/v1/cases", token: intake,
                json: """
                    {"matterCode":"E0505","description":"\(formula)","lon":\(point.lon),"lat":\(point.lat),"source":"hotline","reporterContact":"13900003333"}
                    """)
            #expect(report.status == .created, "\(report.text)")
            let number = try #require((report.json["case"] as? [String: Any])?["number"] as? String)
            let export = try await client.call(.get, "/api/v1/cases.csv?q=HYPERLINK", token: intake)
            let line = try #require(export.text.split(separator: "\r\n").first { $0.hasPrefix(number) })
            #expect(line.contains(",\"'=HYPERLINK("), "\(line)")
            #expect(!line.contains(",\"=HYPERLINK(") && !line.contains(",=HYPERLINK("))
        }
    }

    @Test func formulaCellsAreNeutralisedAndNumbersKept() {
        #expect(CSV.neutralised("=1+1") == "'=1+1")
        #expect(CSV.neutralised("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSV.neutralised("+86 139") == "'+86 139")
        #expect(CSV.neutralised("-cmd|' /C calc'!A0") == "'-cmd|' /C calc'!A0")
        #expect(CSV.neutralised("\tx") == "'\tx")
        #expect(CSV.neutralised("-122.4194") == "-122.4194")
        #expect(CSV.neutralised("1e-5") == "1e-5")
        #expect(CSV.neutralised("苏州") == "苏州")
        #expect(CSV.line(["=A1", "a,b"]) == "'=A1,\"a,b\"\r\n")
    }

    @Test func metricsCanBeLimitedToANetworkOrAKey() async throws {
        let (platform, _) = try await DemoFixture.shared.platform(.sqlite)
        var restricted = WebSettings()
        restricted.metricsNetworks = ["10.9.0.0/16"]
        restricted.metricsKey = "metrics-secret-1"
        try await testApplication(platform, web: restricted).test(.live) { client throws in
            #expect(try await client.call(.get, "/metrics").status == .forbidden, "loopback is not in 10.9.0.0/16")
            #expect(
                try await client.call(.get, "/metrics", headers: [.authorization: "Bearer wrong"]).status == .forbidden)
            #expect(
                try await client.call(.get, "/metrics", headers: [.authorization: "Bearer metrics-secret-1"]).status
                    == .ok)
        }
        var loopback = WebSettings()
        loopback.metricsNetworks = ["127.0.0.0/8", "::1/128"]
        try await testApplication(platform, web: loopback).test(.live) { client throws in
            #expect(try await client.call(.get, "/metrics").status == .ok)
        }
    }

    @Test(arguments: TestBackend.available) func cityWideSettingsNeedAPlatformWideAdministrator(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let password = "District-Admin-2026"
            for (name, area) in [("admin.city", f.city), ("admin.gusu", f.district)] {
                _ = try await platform.people.createUser(
                    NewUser(
                        username: name, displayName: name, password: password, roles: [.admin],
                        areaId: area.id), by: .system)
            }
            try await testApplication(platform).test(.router) { client in
                let city = try await client.login("admin.city", password)
                let district = try await client.login("admin.gusu", password)
                let calendar = try await client.call(.get, "/api/v1/calendar", token: city)
                let refused = try await client.call(.put, "/api/v1/calendar", token: district, json: calendar.text)
                #expect(refused.status == .forbidden && refused.problemCode == "platform_admin_required")
                #expect(try await client.call(.put, "/api/v1/calendar", token: city, json: calendar.text).status == .ok)
                // A district administrator still manages their own district's people.
                #expect(try await client.call(.get, "/api/v1/users", token: district).status == .ok)
            }
        }
    }

    @Test func handlersReadOnlyTheirDepartmentsOrders() async throws {
        let (platform, credentials) = try await DemoFixture.shared.platform(.sqlite)
        try await testApplication(platform).test(.router) { client in
            let leader = try await client.login("leader", credentials.password(of: "leader"))
            let handler = try await client.login("handler.municipal", credentials.password(of: "handler.municipal"))
            let me = try await client.call(.get, "/api/v1/me", token: handler)
            let department = try #require(me.json["departmentId"] as? String)
            let handling = try await client.call(.get, "/api/v1/cases?state=handling&limit=50", token: leader)
            let other = try #require(
                (handling.json["items"] as? [[String: Any]])?.first {
                    !(($0["departmentIds"] as? [String]) ?? []).contains(department)
                        && !(($0["departmentIds"] as? [String]) ?? []).isEmpty
                }, "a case in handling at another department")
            let order = try await client.call(
                .post, "/api/v1/supervision-orders", token: leader,
                json: #"{"caseId":"\#(other["id"] as? String ?? "")","note":"请加快"}"#)
            #expect(order.status == .created, "\(order.text)")
            let id = try #require(order.json["id"] as? String)
            #expect(try await client.call(.get, "/api/v1/supervision-orders/\(id)", token: handler).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/supervision-orders/\(id)", token: leader).status == .ok)
            let warnings = try await client.call(.get, "/api/v1/warnings?subscribed=true", token: handler)
            for warning in (warnings.json["items"] as? [[String: Any]]) ?? [] {
                #expect(warning["departmentId"] as? String == department)
            }
        }
    }
}
