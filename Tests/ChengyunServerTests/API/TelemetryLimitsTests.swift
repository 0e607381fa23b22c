import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Telemetry holds no unbounded memory for a caller's mistakes: an overlong line is refused by
/// number without being kept, refused lines past the first thousand are counted rather than
/// listed, and a stream of only bad lines ends in 422.
@Suite struct TelemetryLimitsTests {
    @Test(arguments: TestBackend.available) func overlongLinesAndFloodsOfBadLinesAreBounded(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let gateway = try await platform.people.createAPIKey(
                NewAPIKey(name: "网关", scopes: [.telemetryWrite], areaId: f.city.id), by: .system)
            let a = CaseFixture.pointA
            _ = try await platform.devices.register(
                NewDevice(code: "ENV-A", kindCode: "environment", name: "平江站", lon: a.lon, lat: a.lat), by: .system)
            let now = platform.now()
            try await testApplication(platform).test(.router) { client in
                // A good line, a 100 KB line, another good line: the long one is refused, the others kept.
                let long =
                    #"{"device":"ENV-A","at":\#(now - 50_000),"metric":"pm25","value":1,"pad":""#
                    + String(repeating: "x", count: 100_000) + "\"}"
                let body = """
                    {"device":"ENV-A","at":\(now - 60_000),"metric":"pm25","value":40}
                    \(long)
                    {"device":"ENV-A","at":\(now - 40_000),"metric":"pm25","value":41}

                    """
                let mixed = try await client.post(body, type: "application/x-ndjson", key: gateway.secret)
                #expect(mixed.status == .ok, "\(mixed.text.prefix(300))")
                #expect(mixed.json["accepted"] as? Int == 2)
                #expect(
                    (mixed.json["rejected"] as? [[String: Any]])?.map { $0["code"] as? String } == ["line_too_long"])
                #expect((mixed.json["rejected"] as? [[String: Any]])?.first?["line"] as? Int == 2)

                // 25,000 lines of nothing usable: 422, a thousand listed, the rest counted.
                let flood = String(repeating: "not json\n", count: 25_000)
                let refused = try await client.post(flood, type: "application/x-ndjson", key: gateway.secret)
                #expect(refused.status == .unprocessableContent && refused.problemCode == "no_valid_readings")
                #expect((refused.json["errors"] as? [[String: Any]])?.count == IngestReport.listedRejections)
                #expect(
                    (refused.json["detail"] as? String)?.contains("24000 more") == true,
                    "\(refused.json["detail"] ?? "")")

                // A body that is one endless line is refused without being held.
                let endless = try await client.post(
                    String(repeating: "y", count: 300_000), type: "application/x-ndjson", key: gateway.secret)
                #expect(endless.status == .unprocessableContent)
                #expect((endless.json["errors"] as? [[String: Any]])?.first?["code"] as? String == "line_too_long")
            }
        }
    }

    @Test func theReportListsAThousandAndCountsTheRest() {
        var report = IngestReport()
        let lines = (1...1500).map { RejectedReading(line: $0, device: nil, code: "invalid_json", message: "x") }
        report.add(IngestReport(rejected: Array(lines[0..<600])))
        report.add(IngestReport(rejected: Array(lines[600..<1500])))
        #expect(report.rejected.count == 1000 && report.moreRejected == 500 && report.rejectedCount == 1500)
        #expect(report.rejected.last?.line == 1000)
    }
}
