import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/v1/telemetry` in its three shapes, with device and gateway keys, and the live
/// stream of alarms scoped to the caller's area.
@Suite struct TelemetryRoutesTests {
    @Test(arguments: TestBackend.available) func readingsArriveInEveryShapeAndAlarmsStreamLive(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let gateway = try await platform.people.createAPIKey(
                NewAPIKey(name: "网关", scopes: [.telemetryWrite], areaId: f.city.id), by: .system)
            let lampKey = try await platform.people.createAPIKey(
                NewAPIKey(name: "灯杆", scopes: [.telemetryWrite], areaId: f.city.id), by: .system)
            let (a, b) = (CaseFixture.pointA, CaseFixture.pointB)
            _ = try await platform.devices.register(
                NewDevice(code: "ENV-A", kindCode: "environment", name: "平江站", lon: a.lon, lat: a.lat), by: .system)
            _ = try await platform.devices.register(
                NewDevice(code: "ENV-B", kindCode: "environment", name: "沧浪站", lon: b.lon, lat: b.lat), by: .system)
            _ = try await platform.devices.register(
                NewDevice(
                    code: "LP-A", kindCode: "lamp_pole", name: "灯杆", lon: a.lon, lat: a.lat,
                    apiKeyId: lampKey.key.id), by: .system)
            _ = try await platform.people.createUser(
                NewUser(
                    username: "inspector.b", displayName: "沧浪巡查员", password: AuthFixtures.password,
                    roles: [.inspector], areaId: f.streetB.id), by: .system)
            let now = platform.now()
            try await testApplication(platform).test(.router) { client in
                // CSV, a column per metric: two good lines (epoch and ISO times, one NA), a line
                // with a word for a number, and a lamp pole that belongs to another key.
                let csv = """
                    device,at,pm25,pm10\r
                    ENV-A,\(now - 120_000),40,NA\r
                    ENV-A,\(EpochMillis.iso8601(now - 60_000 - (now % 1000))),42,60\r
                    ENV-B,\(now - 60_000),lots,60\r
                    LP-A,\(now - 60_000),10,\r

                    """
                let taken = try await client.post(csv, type: "text/csv", key: gateway.secret)
                #expect(taken.status == .ok)
                #expect(taken.json["accepted"] as? Int == 3)
                let refused = taken.json["rejected"] as? [[String: Any]] ?? []
                #expect(
                    refused.map { $0["line"] as? Int } == [4, 5]
                        && refused.map { $0["code"] as? String } == ["invalid_value", "not_your_device"])

                // NDJSON from the lamp pole's own key: its device yes, the stations no.
                let ndjson = """
                    {"device":"LP-A","at":\(now - 30_000),"values":{"lamp_on":1,"power":120}}
                    {"device":"ENV-A","at":\(now - 30_000),"metric":"pm25","value":41}
                    {"device":"LP-A","at":\(now - 30_000),"metric":"power","value":120}
                    not json
                    """
                let lamp = try await client.post(ndjson, type: "application/x-ndjson", key: lampKey.secret)
                #expect(
                    lamp.status == .ok && lamp.json["accepted"] as? Int == 2 && lamp.json["duplicates"] as? Int == 1)
                #expect(
                    (lamp.json["rejected"] as? [[String: Any]])?.map { $0["code"] as? String } == [
                        "not_your_device", "invalid_json",
                    ])

                // A JSON array with nothing usable in it, a body of the wrong type, a staff caller.
                let none = try await client.post(
                    #"[{"device":"ENV-A","at":"yesterday","metric":"pm25","value":1},{"device":"ENV-A"}]"#,
                    type: "application/json", key: gateway.secret)
                #expect(none.status == .unprocessableContent && none.problemCode == "no_valid_readings")
                #expect((none.json["errors"] as? [[String: Any]])?.count == 2)
                #expect(
                    try await client.post("x", type: "text/plain", key: gateway.secret).status == .unsupportedMediaType)
                let inspector = try await client.login("inspector.b", AuthFixtures.password)
                #expect(
                    try await client.call(.post, "/api/v1/telemetry", token: inspector, json: "[]").status == .forbidden
                )

                // The 沧浪 inspector's stream shows 沧浪's station coming online and its alarm, not
                // 平江's alarm raised in the same batch.
                let stream = Task {
                    try await client.call(.get, "/api/v1/monitoring/stream?max=2", token: inspector)
                }
                // Waited for, not timed: with the whole suite running, the stream may wait long for a core.
                try #require(
                    try await eventually(within: .seconds(120)) { platform.monitoring.events.subscriberCount > 0 },
                    "no stream opened in 120 s")
                let json =
                    #"[{"device":"ENV-A","at":\#(now),"metric":"pm25","value":300},{"device":"ENV-B","at":\#(now),"metric":"pm25","value":160}]"#
                #expect(
                    try await client.post(json, type: "application/json", key: gateway.secret).json["alarms"] as? Int
                        == 2)
                let events = try await stream.value
                #expect(events.status == .ok && events.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                #expect(events.text.contains("event: alarm") && events.text.contains("\"deviceCode\":\"ENV-B\""))
                #expect(events.text.contains("event: device") && events.text.contains("\"state\":\"online\""))
                #expect(!events.text.contains("ENV-A"))

                // The stored series, through the API.
                let devices = try await client.call(.get, "/api/v1/devices?kind=environment", token: inspector)
                let envB = try #require((devices.json["items"] as? [[String: Any]])?.first?["id"] as? String)
                let latest = try await client.call(.get, "/api/v1/devices/\(envB)/latest", token: inspector)
                #expect(
                    (latest.json["items"] as? [[String: Any]])?.contains {
                        $0["metric"] as? String == "pm25" && $0["value"] as? Double == 160
                    } == true)
                let series = try await client.call(
                    .get,
                    "/api/v1/devices/\(envB)/series?metric=pm25&from=\(now - 3_600_000)&to=\(now + 1)&bucket=3600",
                    token: inspector)
                #expect((series.json["buckets"] as? [[String: Any]])?.first?["count"] as? Int == 1)
            }
        }
    }
}

extension TestClientProtocol {
    /// A telemetry upload with a machine key.
    func post(_ body: String, type: String, key: String) async throws -> HTTPAnswer {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[HTTPField.Name("X-API-Key")!] = key
        return try await execute(
            uri: "/api/v1/telemetry", method: .post, headers: headers, body: ByteBuffer(string: body)
        ) { response in
            HTTPAnswer(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }
}

/// What `chengyun import air-quality --url` sends: an hour of the Beijing data as one CSV batch.
@Suite struct AirQualityReplayTests {
    @Test func theReplaysHourlyBatchesAreTakenWhole() async throws {
        guard let data = dataDirectory() else {
            Issue.record("The repository's data/beijing-air is missing.")
            return
        }
        try await withPlatform(.sqlite) { platform in
            let f = try await CaseFixture.make(platform)
            let files = try AirQualityImport.files(in: data + "/beijing-air").filter {
                ["Dongsi", "Tiantan"].contains($0.key)
            }
            let devices = try await AirQualityImport(platform: platform).registerStations(
                files.keys.sorted(), areaId: f.city.id)
            let key = try await platform.people.createAPIKey(
                NewAPIKey(name: "回放", scopes: [.telemetryWrite], areaId: f.city.id), by: .system)
            let hours = try AirQualityImport.hourlyCSV(files: files, devices: devices).prefix(48)
            // Values in those hours, counted by hand in the two files: 2013-03-01 00h to 03-02 23h,
            // both stations every hour, six metrics a row: 48 × 2 × 6 = 576, less the NAs —
            // Dongsi 03-01 02h SO2, 03h CO and O3, 04h NO2 (4); Tiantan 03-02 02h SO2, 03h CO,
            // 04h NO2 (3): 576 − 7 = 569.
            let expected = 569
            #expect(hours.count == 48)
            try await testApplication(platform).test(.router) { client in
                var accepted = 0
                for hour in hours {
                    let answer = try await client.post(hour.csv, type: "text/csv", key: key.secret)
                    #expect(answer.status == .ok, "\(answer.text)")
                    #expect((answer.json["rejected"] as? [Any])?.isEmpty == true)
                    accepted += answer.json["accepted"] as? Int ?? 0
                }
                #expect(accepted == expected)
            }
        }
    }
}
