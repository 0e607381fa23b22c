import ChengyunCore
import ChengyunServer
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// GeoReport v2's refusals in both formats, per-key rate limits, addresses, asynchronous intake
/// and keys that file for citizens.
extension Open311ContractTests {
    @Test(arguments: TestBackend.available) func errorsInBothFormats(backend: TestBackend) async throws {
        try await withOpen311(backend) { client, city, platform in
            let staffOnly = try await platform.people.createAPIKey(
                NewAPIKey(name: "sensors", scopes: [.telemetryWrite], areaId: city.fixture.city.id), by: .system)
            let cases: [(HTTPRequest.Method, String, [(String, String)]?, Int, String)] = [
                (
                    .post, "requests", [("service_code", "E0102"), ("lat", "31.3004"), ("long", "120.6005")], 403,
                    "api_key_missing"
                ),
                (.post, "requests", [("api_key", "cyk_nope_nope"), ("service_code", "E0102")], 403, "invalid_api_key"),
                (
                    .post, "requests",
                    [("api_key", staffOnly.secret), ("service_code", "E0102"), ("lat", "31.3"), ("long", "120.6")], 403,
                    "api_key_not_allowed"
                ),
                (
                    .post, "requests", [("api_key", city.key), ("lat", "31.3004"), ("long", "120.6005")], 400,
                    "service_code_missing"
                ),
                (.post, "requests", city.form("E9999"), 400, "service_code_not_found"),
                (.post, "requests", [("api_key", city.key), ("service_code", "E0102")], 400, "location_missing"),
                (
                    .post, "requests", [("api_key", city.key), ("service_code", "E0102"), ("lat", "31.3")], 400,
                    "location_incomplete"
                ),
                (
                    .post, "requests",
                    [("api_key", city.key), ("service_code", "E0102"), ("lat", "north"), ("long", "120.6")], 400,
                    "invalid_lat"
                ),
                (.post, "requests", city.form("E0102", at: GeoPoint(lon: 116.4, lat: 39.9)), 400, "outside_grid"),
                (.post, "requests", city.form("C0101"), 400, "required"),
                (.post, "requests", city.form("C0101", [("attribute[cover_state]", "stolen")]), 400, "invalid_value"),
                (.post, "requests", city.form("E0102", [("attribute[colour]", "red")]), 400, "unknown_attribute"),
                (
                    .post, "requests",
                    city.form(
                        "E0102", [("attribute[bins_overflowing][]", "1"), ("attribute[bins_overflowing][]", "2")]), 400,
                    "invalid_attribute"
                ),
                (
                    .post, "requests", city.form("E0102", [("media_url", "javascript:alert(1)")]), 400,
                    "invalid_media_url"
                ),
                (.post, "requests", city.form("E0102", [("email", "nobody")]), 400, "invalid_email"),
                (
                    .post, "requests", [("api_key", city.key), ("service_code", "E0102"), ("address_string", "月球背面")],
                    400, "address_unresolved"
                ),
                (.post, "services", city.form("E0102"), 404, "not_found"),
                (.get, "requests/E0102-NOPE", nil, 404, "request_not_found"),
                (.get, "services/E9999", nil, 404, "service_not_found"),
                (.get, "tokens/nope", nil, 404, "token_not_found"),
                (
                    .get, "requests?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", nil, 400,
                    "date_range_too_long"
                ),
                (.get, "requests?start_date=yesterday", nil, 400, "invalid_start_date"),
                (.get, "requests?status=pending", nil, 400, "invalid_status"),
                (.get, "services?jurisdiction_id=elsewhere", nil, 404, "jurisdiction_not_found"),
            ]
            for (method, path, form, status, code) in cases {
                for format in ["json", "xml"] {
                    let file = path.split(separator: "?", maxSplits: 1).map(String.init)
                    let uri = file[0] + "." + format + (file.count > 1 ? "?" + file[1] : "")
                    let answer = try await client.open311(method, uri, form: form)
                    #expect(answer.status.code == status, "\(method) \(uri): \(answer.text)")
                    #expect(answer.errorCodes.contains(code), "\(method) \(uri): \(answer.text)")
                    #expect(answer.isXML == (format == "xml"))
                }
            }
            #expect(try await client.open311(.get, "services.csv").status == .notFound)
            #expect(
                try await platform.cases.search(.init(scopePath: "/"), page: .init(limit: 100), by: .system).items
                    .isEmpty,
                "no refused submission left a case")
        }
    }

    @Test(arguments: TestBackend.available) func rateLimitPerKey(backend: TestBackend) async throws {
        try await withOpen311(backend, rateLimit: 3) { client, city, _ in
            for index in 0..<3 {
                let point = GeoPoint(lon: 120.6003 + Double(index) * 0.001, lat: 31.3004)
                #expect(
                    try await client.open311(.post, "requests.json", form: city.form("E0505", at: point)).status == .ok)
            }
            let refused = try await client.open311(.post, "requests.json", form: city.form("E0505"))
            #expect(refused.status == .tooManyRequests && refused.errorCodes == ["rate_limited"])
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
        }
    }

    @Test(arguments: TestBackend.available) func addressesArePlacedWhereThePlatformKnowsThem(backend: TestBackend)
        async throws
    {
        try await withOpen311(backend) { client, city, platform in
            let first = try await submit(
                client, city.form("E0505", at: CaseFixture.pointB, [("address_string", "沧浪区 十全街 88 号")]))
            let byAddress = try await submit(
                client, [("api_key", city.key), ("service_code", "E0301"), ("address_string", "沧浪区 十全街 88 号")])
            let placed = try await platform.cases.detail(id: byAddress, by: .system).case
            #expect(placed.position == CaseFixture.pointB && placed.gridCellId == city.fixture.cellB.id)
            #expect(first != byAddress)
            let byCell = try await submit(
                client, [("api_key", city.key), ("service_code", "E0301"), ("address_string", "东园第1网格北侧路口")])
            #expect(try await platform.cases.detail(id: byCell, by: .system).case.gridCellId == city.fixture.cellA.id)
            let byStreet = try await submit(
                client, [("api_key", city.key), ("service_code", "E0306"), ("address_string", "苏州市沧浪街道某处")])
            #expect(try await platform.cases.detail(id: byStreet, by: .system).case.gridCellId == city.fixture.cellB.id)
        }
    }

    @Test(arguments: TestBackend.available) func asynchronousIntakeAnswersWithATokenFirst(backend: TestBackend)
        async throws
    {
        var settings = testSettings()
        settings.open311.asyncIntake = true
        try await withOpen311(backend, settings: settings) { client, city, platform in
            let posted = try await client.open311(.post, "requests.json", form: city.form("E0102"))
            #expect(posted.status == .ok && posted.list.first?["service_request_id"] == nil)
            let token = try #require(posted.list.first?["token"] as? String)
            let waiting = try await client.open311(.get, "tokens/\(token).json")
            #expect(
                waiting.status == .ok && waiting.list.first?["token"] as? String == token
                    && waiting.list.first?["service_request_id"] == nil)
            let outside = try await client.open311(
                .post, "requests.xml", form: city.form("E0102", at: GeoPoint(lon: 116.4, lat: 39.9)))
            let refusedToken = try #require(outside.xmlValues("/service_requests/request/token").first)
            #expect(
                try await client.open311(.post, "requests.json", form: city.form("E9999")).errorCodes == [
                    "service_code_not_found"
                ],
                "an unknown service is refused at once")

            #expect(try await platform.open311.processPending() == 2)
            let filed = try await client.open311(.get, "tokens/\(token).xml")
            let id = try #require(filed.xmlValues("/service_requests/request/service_request_id").first)
            #expect(
                try await client.open311(.get, "requests/\(id).json").list.first?["service_code"] as? String == "E0102")
            let refused = try await client.open311(.get, "tokens/\(refusedToken).json")
            #expect(refused.status == .notFound && refused.errorCodes == ["outside_grid"])
            #expect(try await platform.open311.processPending() == 0)
        }
    }

    @Test(arguments: TestBackend.available) func aKeyThatMayAlsoFileMachineCasesStillReportsForCitizens(
        backend: TestBackend
    ) async throws {
        try await withOpen311(backend) { client, city, platform in
            let both = try await platform.people.createAPIKey(
                NewAPIKey(name: "gateway and app", scopes: KeyScope.general, areaId: city.fixture.city.id), by: .system
            )
            let id = try await submit(
                client, [("api_key", both.secret), ("service_code", "E0505"), ("lat", "31.3004"), ("long", "120.6005")])
            #expect(try await platform.cases.detail(id: id, by: .system).case.source == .citizen)
        }
    }
}
