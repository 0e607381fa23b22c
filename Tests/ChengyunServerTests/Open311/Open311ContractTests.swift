import ChengyunCore
import ChengyunServer
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// GeoReport v2, endpoint by endpoint and error by error, in both formats.
@Suite struct Open311ContractTests {
    @Test(arguments: TestBackend.available) func discoveryAndServices(backend: TestBackend) async throws {
        try await withOpen311(backend) { client, city, platform in
            let discovery = try await client.open311(.get, "discovery.json")
            #expect(discovery.status == .ok && discovery.headers[.contentType] == "application/json; charset=utf-8")
            let endpoint = (discovery.object["endpoints"] as? [[String: Any]])?.first
            #expect(endpoint?["specification"] as? String == "http://wiki.open311.org/GeoReport_v2")
            #expect((endpoint?["formats"] as? [String]) == ["application/json", "text/xml"])
            #expect(
                try await client.open311(.get, "discovery.xml").xmlValues(
                    "/discovery/endpoints/endpoint/formats/format") == ["application/json", "text/xml"])

            let services = try await client.open311(.get, "services.json")
            #expect(services.list.count == 52, "every public matter of the default catalogue")
            let garbage = services.list.first { $0["service_code"] as? String == "E0102" }
            #expect(garbage?["service_name"] as? String == "暴露垃圾" && garbage?["metadata"] as? Bool == true)
            #expect(garbage?["type"] as? String == "realtime" && garbage?["group"] as? String != nil)
            let xml = try await client.open311(.get, "services.xml")
            #expect(xml.isXML && xml.xmlValues("/services/service/service_code").count == 52)
            #expect(xml.xmlValues("/services/service[service_code='E0102']/metadata") == ["true"])

            // An administrator takes a matter off the public list.
            var input = MatterInput(city.fixture.dirtyRoad)
            input.isPublic = false
            _ = try await platform.matters.update(id: city.fixture.dirtyRoad.id, input, by: .system)
            #expect(try await client.open311(.get, "services.json").list.count == 51)
            #expect(try await client.open311(.get, "services/E0104.json").status == .notFound)

            let definition = try await client.open311(.get, "services/C0101.json")
            let attribute = (definition.object["attributes"] as? [[String: Any]])?.first
            #expect(definition.object["service_code"] as? String == "C0101")
            #expect(
                attribute?["code"] as? String == "cover_state" && attribute?["datatype"] as? String == "singlevaluelist"
            )
            #expect(
                attribute?["required"] as? Bool == true && attribute?["variable"] as? Bool == true
                    && attribute?["order"] as? Int == 1)
            #expect(
                (attribute?["values"] as? [[String: String]])?.map { $0["key"]! } == ["damaged", "lost", "displaced"])
            let definitionXML = try await client.open311(.get, "services/C0101.xml")
            #expect(
                definitionXML.xmlValues("/service_definition/attributes/attribute/values/value/name") == [
                    "破损", "丢失", "移位",
                ])
            #expect(try await client.open311(.get, "services/E0102.json?jurisdiction_id=chengyun").status == .ok)
        }
    }

    @Test(arguments: TestBackend.available) func submitReadAndMerge(backend: TestBackend) async throws {
        try await withOpen311(backend) { client, city, platform in
            let posted = try await client.open311(
                .post, "requests.json",
                form: city.form(
                    "E0102",
                    [
                        ("description", "小区门口垃圾满溢 \"三天\" <无人清运> & 异味"), ("attribute[bins_overflowing]", "3"),
                        ("first_name", "Wei"),
                        ("last_name", "Zhang"), ("email", "zhang@example.org"),
                        ("media_url", "https://photos.example.org/p/1.jpg"),
                        ("address_string", "平江路 12 号"), ("account_id", "a-77"), ("device_id", "phone-1"),
                        ("unknown_extra", "ignored"),
                    ]))
            #expect(posted.status == .ok, "\(posted.text)")
            let id = try #require(posted.list.first?["service_request_id"] as? String)
            #expect(posted.list.first?["account_id"] as? String == "a-77" && posted.list.first?["token"] == nil)

            let read = try await client.open311(.get, "requests/\(id).json")
            let request = try #require(read.list.first)
            #expect(request["status"] as? String == "open" && request["service_code"] as? String == "E0102")
            #expect(request["service_name"] as? String == "暴露垃圾")
            #expect(request["description"] as? String == "小区门口垃圾满溢 \"三天\" <无人清运> & 异味")
            #expect(
                request["lat"] as? Double == CaseFixture.pointA.lat
                    && request["long"] as? Double == CaseFixture.pointA.lon)
            #expect(request["media_url"] as? String == "https://photos.example.org/p/1.jpg")
            #expect(request["address"] as? String == "平江路 12 号")
            #expect((request["requested_datetime"] as? String)?.hasSuffix("+08:00") == true)
            #expect(request["expected_datetime"] as? String != nil, "the case's deadline")
            let detail = try await platform.cases.detail(id: id, by: .system)
            #expect(detail.case.source == .citizen && detail.case.customFields == ["bins_overflowing": "3"])
            #expect(detail.case.reporterName == "Wei Zhang" && detail.case.reporterContact == "zhang@example.org")
            let xml = try await client.open311(.get, "requests/\(id).xml")
            #expect(xml.xmlValues("/service_requests/request/description") == ["小区门口垃圾满溢 \"三天\" <无人清运> & 异味"])
            #expect(xml.xmlValues("/service_requests/request/status") == ["open"])

            // The same pile, 19 m away: merged, and it follows the first report's progress.
            let near = GeoPoint(lon: CaseFixture.pointA.lon + 0.0002, lat: CaseFixture.pointA.lat)
            let second = try await client.open311(
                .post, "requests.xml", form: city.form("E0102", at: near, [("description", "又见垃圾")]))
            #expect(second.status == .ok && second.isXML, "\(second.text)")
            let secondId = try #require(second.xmlValues("/service_requests/request/service_request_id").first)
            let merged = try #require(try await client.open311(.get, "requests/\(secondId).json").list.first)
            #expect((merged["status_notes"] as? String)?.contains("merged into \(id)") == true)
            #expect(merged["status"] as? String == "open")

            // The supervisor cancels the first case: both read closed, with the reason.
            let supervisor = city.fixture.staff(.supervisor)
            _ = try await platform.cases.act(
                caseId: detail.case.id, CaseActionInput(.accept), by: city.fixture.staff(.intake))
            _ = try await platform.cases.act(
                caseId: detail.case.id, CaseActionInput(.cancel, note: "已由物业清理"), by: supervisor)
            let closed = try #require(try await client.open311(.get, "requests/\(secondId).json").list.first)
            #expect(
                closed["status"] as? String == "closed"
                    && (closed["status_notes"] as? String)?.contains("已由物业清理") == true)
            #expect(closed["expected_datetime"] is NSNull)
        }
    }

    @Test(arguments: TestBackend.available) func listFilters(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withOpen311(backend, clock: clock) { client, city, platform in
            let old = try await submit(client, city.form("E0102"))
            clock.advance(minutes: 100 * 24 * 60)
            let garbage = try await submit(client, city.form("E0102", at: CaseFixture.pointB))
            clock.advance(minutes: 1)
            let parking = try await submit(client, city.form("E0505", [("attribute[plate_number]", "苏E12345")]))
            func ids(_ query: String) async throws -> [String] {
                try await client.open311(.get, "requests.json" + query).list.compactMap {
                    $0["service_request_id"] as? String
                }
            }
            #expect(try await ids("") == [parking, garbage], "the last 90 days, newest first")
            #expect(try await ids("?service_code=E0102") == [garbage])
            #expect(try await ids("?service_code=E0505,E0102&status=open") == [parking, garbage])
            #expect(try await ids("?status=closed").isEmpty)
            #expect(
                try await ids("?status=&service_code=&start_date=") == [parking, garbage],
                "empty parameters count as absent")
            let from = EpochMillis.iso8601(clock.now - 101 * 86_400_000),
                to = EpochMillis.iso8601(clock.now - 99 * 86_400_000)
            let range = "?start_date=\(Self.escape(from))&end_date=\(Self.escape(to))"
            #expect(try await ids(range) == [old])
            #expect(
                try await ids("?service_request_id=\(old),\(parking)&status=closed&service_code=C0101").sorted()
                    == [old, parking].sorted(),
                "ids override every other filter")
            let xml = try await client.open311(.get, "requests.xml?service_code=E0505")
            #expect(xml.xmlValues("/service_requests/request/service_request_id") == [parking])
            #expect(
                try await client.open311(.get, "requests.xml?service_code=X0000").xmlValues("/service_requests/request")
                    .isEmpty)
        }
    }

    // MARK: Steps

    func withOpen311(
        _ backend: TestBackend, clock: TestClock? = nil, rateLimit: Int? = nil,
        settings: PlatformSettings = testSettings(),
        _ body: @Sendable (any TestClientProtocol, Open311City, Platform) async throws -> Void
    ) async throws {
        try await withPlatform(backend, clock: clock, settings: settings) { platform in
            let city = try await Open311City.make(platform, rateLimit: rateLimit)
            try await testApplication(platform).test(.router) { client in try await body(client, city, platform) }
        }
    }

    func submit(_ client: any TestClientProtocol, _ form: [(String, String)]) async throws -> String {
        let answer = try await client.open311(.post, "requests.json", form: form)
        guard let id = answer.list.first?["service_request_id"] as? String else {
            throw SubmitFailed(text: answer.text)
        }
        return id
    }

    static func escape(_ text: String) -> String { text.replacingOccurrences(of: "+", with: "%2B") }
}

struct SubmitFailed: Error { var text: String }
