import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// The Beijing air-quality data through the real ingest path and the default environment rules:
/// the alarms one station gets are counted again here, straight from its CSV file.
@Suite struct AirQualityImportTests {
    @Test(arguments: TestBackend.available) func dongsiAlarmsMatchItsCSV(backend: TestBackend) async throws {
        guard let data = dataDirectory() else {
            Issue.record("The repository's data/beijing-air is missing.")
            return
        }
        let file = try #require(
            try AirQualityImport.files(in: data + "/beijing-air")["Dongsi"], "PRSA_Data_Dongsi_*.csv")
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let report = try await AirQualityImport(platform: platform).load(
                directory: data + "/beijing-air", stations: ["Dongsi"],
                areaId: f.city.id)
            let expected = try Self.countFromCSV(file)
            #expect(report.stations == 1 && report.ingest.rejected.isEmpty)
            #expect(report.ingest.accepted == expected.values)

            let device = try #require(
                try await platform.devices.list(kindCode: "environment", state: nil, page: PageRequest(), by: .system)
                    .items.first)
            #expect(device.code == "BJ-AIR-DONGSI" && device.gridCellId == nil && device.areaId == f.city.id)
            let alarms = try await PageRequest.all {
                try await platform.alarms.list(.init(deviceId: device.id), page: $0, by: .system)
            }
            let pm25 = alarms.filter { $0.ruleId == "environment.pm25" }
            let offline = alarms.filter { $0.ruleId == "environment.offline" }
            #expect(pm25.count == expected.pm25Episodes)
            #expect(offline.count == expected.gaps)
            #expect(pm25.filter { $0.severity == .red }.count > 0)
            #expect(offline.allSatisfy { $0.state == .cleared && ($0.clearedAt ?? 0) - $0.raisedAt >= 0 })
            // Loading the file again adds nothing.
            let again = try await AirQualityImport(platform: platform).load(
                directory: data + "/beijing-air", stations: ["Dongsi"], areaId: f.city.id)
            #expect(
                again.ingest.accepted == 0 && again.ingest.duplicates == expected.values && again.ingest.alarms == 0)
        }
    }

    /// Straight from the file: PM2.5 episodes (a rise to ≥ 75 µg/m³ from an idle state; idle again
    /// at ≤ 70, the 5 µg/m³ hysteresis), and gaps of more than three hours between rows that
    /// carry any pollutant value.
    static func countFromCSV(_ file: String) throws -> (values: Int, pm25Episodes: Int, gaps: Int) {
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        var values = 0, episodes = 0, gaps = 0
        var high = false
        var lastHour: Int?
        for (index, line) in lines.enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let pollutants = fields[5...10].map { Double($0) }
            let present = pollutants.compactMap { $0 }.count
            values += present
            if present > 0 {
                if let last = lastHour, index - last > 3 { gaps += 1 }
                lastHour = index
            }
            guard let pm25 = pollutants[0] else { continue }
            if !high && pm25 >= 75 { episodes += 1; high = true } else if high && pm25 <= 70 { high = false }
        }
        return (values, episodes, gaps)
    }
}
