import ArgumentParser
import ChengyunCore
import ChengyunStore
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `chengyun import air-quality [data/beijing-air]`: the Beijing stations of the folder as
/// environment devices, their four years of hourly readings loaded through the ingest path (the
/// default rules raise alarms as the data says). With `--url` and `--key` the readings are
/// replayed live to a running server instead, `--speed` data hours per real hour.
struct ImportAirQuality: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "air-quality",
        abstract: "Register the Beijing air-quality stations and load or replay their hourly readings.")
    @OptionGroup var storage: StorageOptions
    @Argument(help: "The beijing-air folder (PRSA_Data_<station>_*.csv); the two stations shipped in data/ by default.")
    var directory = "data/beijing-air"
    @Option(help: "Only these stations (comma-separated names, e.g. Dongsi,Tiantan).") var stations: String?
    @Option(help: "Code of the area the stations belong to (default: the first city-level area).") var area: String?
    @Option(help: "Replay live to this server (e.g. http://127.0.0.1:8080) instead of loading directly.") var url:
        String?
    @Option(help: "Telemetry API key for --url.") var key: String?
    @Option(help: "Replay speed for --url: data hours per real hour (3600 = one data hour a second).") var speed:
        Double = 3600
    @Option(help: "Replay from this data time (ISO 8601; default the first row).") var from: String?

    func run() async throws {
        let names = stations.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let files = try AirQualityImport.files(in: directory).filter { names?.contains($0.key) ?? true }
        guard !files.isEmpty else {
            throw ValidationError("No station files (PRSA_Data_<station>_*.csv) in \(directory).")
        }
        try await withPlatform(storage) { platform, _ in
            let areaId = try await resolveArea(platform)
            let importer = AirQualityImport(platform: platform)
            if let url {
                guard let key else { throw ValidationError("--url needs --key (a telemetry:write API key).") }
                let devices = try await importer.registerStations(files.keys.sorted(), areaId: areaId)
                print("registered \(devices.count) stations; replaying to \(url) at \(speed)× …")
                try await replay(files: files, devices: devices, url: url, key: key)
            } else {
                // On PostgreSQL the serving nodes judge the rules: this process queues every line
                // for the node holding its device's shard rather than judge beside them.
                let queueing = platform.pool.backend == .postgres
                if queueing {
                    platform.shards.holdNothing()
                    let live = try await platform.clusterService.status().nodes.filter(\.alive).count
                    print(
                        live == 0
                            ? "no node is serving this database: the readings wait in its queue until one starts"
                            : "\(live) serving node(s) will judge the readings queued here")
                }
                let started = Date()
                let report = try await importer.load(directory: directory, stations: names, areaId: areaId) {
                    at, progress in
                    print(
                        "  up to \(EpochMillis.iso8601(at)): \(progress.accepted) values, \(progress.alarms) alarm changes"
                    )
                }
                let seconds = Date().timeIntervalSince(started)
                print(
                    "stations \(report.stations); values stored \(report.ingest.accepted), already stored \(report.ingest.duplicates), "
                        + "refused \(report.ingest.rejected.count); alarm changes \(report.ingest.alarms); "
                        + (queueing ? "queued for the serving nodes \(report.ingest.forwarded); " : "")
                        + String(
                            format: "%.1f s (%.0f values/s)", seconds,
                            Double(report.ingest.accepted) / max(seconds, 0.001)))
            }
        }
    }

    private func resolveArea(_ platform: Platform) async throws -> String {
        if let area {
            guard let found = try await platform.pool.read({ try await AreaRepository().find(code: area, on: $0) })
            else {
                throw ValidationError("No area has code \(area).")
            }
            return found.id
        }
        guard
            let city = try await platform.organisation.listAreas(
                level: .city, parentId: nil, page: PageRequest(limit: 1), by: .system
            ).items.first
        else {
            throw ValidationError("The platform has no city yet: create one (or run `chengyun demo`) first.")
        }
        return city.id
    }

    /// Hour by hour in data time: one CSV batch per hour, sent when its time comes.
    private func replay(files: [String: String], devices: [String: Device], url: String, key: String) async throws {
        let start =
            try from.map { text in
                guard let at = Instant.parse(text) else {
                    throw ValidationError("--from is ISO 8601 with a time zone.")
                }
                return at
            } ?? Int64.min
        let pause = Duration.milliseconds(Int64(3_600_000 / speed))
        guard let endpoint = URL(string: url + "/api/v1/telemetry") else {
            throw ValidationError("--url is not a URL.")
        }
        for (hour, csv) in try AirQualityImport.hourlyCSV(files: files, devices: devices) where hour >= start {
            var request = URLRequest(url: endpoint)
            request.httpMethod = "POST"
            request.setValue("text/csv", forHTTPHeaderField: "Content-Type")
            request.setValue(key, forHTTPHeaderField: "X-API-Key")
            request.httpBody = Data(csv.utf8)
            let (body, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            print("\(EpochMillis.iso8601(hour)) \(status) \(String(decoding: body, as: UTF8.self).prefix(160))")
            try await Task.sleep(for: pause)
        }
    }
}
