import ChengyunCore
import Foundation

/// The Beijing Multi-Site Air-Quality data set (data/beijing-air: two of its 11 stations ship, hourly,
/// 2013-03 to 2017-02; Beijing Municipal Environmental Monitoring Center, UCI ML Repository,
/// CC BY 4.0) as environment devices: each station registered at its real position, its rows
/// loaded as readings of pm25, pm10, so2, no2, co and o3 (NA is no value; a row of NAs is no
/// reading at all, which is what the no-data rule sees).
public struct AirQualityImport: Sendable {
    let platform: Platform

    public init(platform: Platform) { self.platform = platform }

    /// The monitoring stations' positions (WGS-84, as published for the data set).
    public static let stations: [String: (name: String, position: GeoPoint)] = [
        "Aotizhongxin": ("奥体中心", GeoPoint(lon: 116.397, lat: 39.982)),
        "Changping": ("昌平镇", GeoPoint(lon: 116.230, lat: 40.217)),
        "Dingling": ("定陵", GeoPoint(lon: 116.220, lat: 40.292)),
        "Dongsi": ("东四", GeoPoint(lon: 116.417, lat: 39.929)),
        "Guanyuan": ("官园", GeoPoint(lon: 116.339, lat: 39.929)),
        "Gucheng": ("古城", GeoPoint(lon: 116.184, lat: 39.914)),
        "Huairou": ("怀柔镇", GeoPoint(lon: 116.628, lat: 40.328)),
        "Nongzhanguan": ("农展馆", GeoPoint(lon: 116.461, lat: 39.937)),
        "Shunyi": ("顺义新城", GeoPoint(lon: 116.655, lat: 40.127)),
        "Tiantan": ("天坛", GeoPoint(lon: 116.407, lat: 39.886)),
        "Wanliu": ("万柳", GeoPoint(lon: 116.287, lat: 39.987)),
    ]

    /// Data set column → metric of the environment kind.
    public static let columns: [(column: String, metric: String)] = [
        ("PM2.5", "pm25"), ("PM10", "pm10"), ("SO2", "so2"), ("NO2", "no2"), ("CO", "co"), ("O3", "o3"),
    ]

    public static func deviceCode(_ station: String) -> String { "BJ-AIR-\(station.uppercased())" }

    /// One station's rows in time order: the hour (Beijing time, UTC+8) and the values present.
    public static func rows(file: String) throws -> [(at: Int64, values: [(metric: String, value: Double)])] {
        var reader = CSVReader(try String(contentsOfFile: file, encoding: .utf8))
        guard let header = reader.next()?.fields else { return [] }
        func index(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: file])
            }
            return index
        }
        let (year, month, day, hour) = (try index("year"), try index("month"), try index("day"), try index("hour"))
        let metrics = try columns.map { (try index($0.column), $0.metric) }
        var rows: [(at: Int64, values: [(metric: String, value: Double)])] = []
        while let record = reader.next() {
            let f = record.fields
            guard f.count == header.count, let y = Int(f[year]), let m = Int(f[month]), let d = Int(f[day]),
                let h = Int(f[hour])
            else { continue }
            let at = (Int64(LocalDate(year: y, month: m, day: d).dayNumber) * 24 + Int64(h) - 8) * 3_600_000
            let values = metrics.compactMap { (column, metric) in Double(f[column]).map { (metric: metric, value: $0) }
            }
            rows.append((at, values))
        }
        return rows.sorted { $0.at < $1.at }
    }

    /// The station files of a folder, by station name.
    public static func files(in directory: String) throws -> [String: String] {
        var found: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory)
        where name.hasPrefix("PRSA_Data_") && name.hasSuffix(".csv") {
            let station = name.dropFirst("PRSA_Data_".count).split(separator: "_").first.map(String.init) ?? ""
            if stations[station] != nil { found[station] = directory + "/" + name }
        }
        return found
    }

    /// Registers the stations that are not yet registered, in `areaId` (the stations lie outside
    /// the city's grid), and returns every station's device.
    public func registerStations(_ names: [String], areaId: String) async throws -> [String: Device] {
        var devices: [String: Device] = [:]
        for name in names {
            guard let station = Self.stations[name] else { continue }
            let code = Self.deviceCode(name)
            if let existing = try await platform.pool.read({ try await DeviceRepository().find(code: code, on: $0) }) {
                devices[name] = existing
                continue
            }
            devices[name] = try await platform.devices.register(
                NewDevice(
                    code: code, kindCode: "environment", name: "北京\(station.name)空气质量监测站", lon: station.position.lon,
                    lat: station.position.lat, areaId: areaId), by: .system)
        }
        return devices
    }

    /// The rows as live telemetry: for each hour in data time, one CSV batch of every station's
    /// values (`device,at,pm25,…`), ready for `POST /api/v1/telemetry` — what a live replay sends.
    public static func hourlyCSV(files: [String: String], devices: [String: Device]) throws -> [(
        at: Int64, csv: String
    )] {
        var hours: [Int64: [String]] = [:]
        for (station, file) in files {
            guard let device = devices[station] else { continue }
            for row in try rows(file: file) where !row.values.isEmpty {
                let cells = columns.map { column in
                    row.values.first { $0.metric == column.metric }.map { "\($0.value)" } ?? ""
                }
                hours[row.at, default: []].append("\(device.code),\(row.at)," + cells.joined(separator: ","))
            }
        }
        let header = "device,at," + columns.map(\.metric).joined(separator: ",")
        return hours.keys.sorted().map { ($0, ([header] + hours[$0]!.sorted()).joined(separator: "\n") + "\n") }
    }

    public struct Report: Sendable {
        public var stations = 0
        public var ingest = IngestReport()
    }

    /// Loads the stations' rows through the ingest path (rules judged as they go), `hoursPerBatch`
    /// hours of every station to a transaction, in time order across stations.
    public func load(
        directory: String, stations wanted: [String]? = nil, areaId: String, hoursPerBatch: Int = 720,
        progress: (@Sendable (Int64, IngestReport) -> Void)? = nil
    ) async throws -> Report {
        let files = try Self.files(in: directory).filter { wanted?.contains($0.key) ?? true }
        let devices = try await registerStations(files.keys.sorted(), areaId: areaId)
        var merged: [IncomingReading] = []
        for (station, file) in files {
            guard let device = devices[station] else { continue }
            for (index, row) in try Self.rows(file: file).enumerated() where !row.values.isEmpty {
                merged.append(IncomingReading(line: index + 2, device: device.code, at: row.at, values: row.values))
            }
        }
        merged.sort { ($0.at, $0.device) < ($1.at, $1.device) }
        var report = Report(stations: devices.count)
        var start = 0
        while start < merged.count {
            let limit = merged[start].at + Int64(hoursPerBatch) * 3_600_000
            var end = start
            while end < merged.count && merged[end].at < limit { end += 1 }
            report.ingest.add(try await platform.telemetry.ingest(Array(merged[start..<end]), by: .system))
            progress?(merged[end - 1].at, report.ingest)
            start = end
        }
        return report
    }
}
