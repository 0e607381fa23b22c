import ArgumentParser
import ChengyunCore
import ChengyunStore
import Foundation

/// The whole shipped indicator tree worked out for the city over a synthetic year of 1,000,000
/// cases and a real year of Beijing air-quality telemetry (the stations in the data folder, hourly, moved so the year
/// ends now), on embedded SQLite or `--database postgres://…`, through the product's own service
/// (with `--nodes N`, on every node at once). Beside it, the baseline: one plain scan of the same
/// case and reading rows.
struct BenchIndicators: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators", abstract: "Time to compute the indicator tree over a large history.")

    @Option var cases = 1_000_000
    @Option(help: "The folder holding beijing-air/ (default: CHENGYUN_SHARED_DATA, else the repository's data/).")
    var data: String?
    @OptionGroup var target: BenchTarget

    func run() async throws { print(try await measure().json) }

    func measure() async throws -> BenchResult {
        let directory =
            (data ?? ProcessInfo.processInfo.environment["CHENGYUN_SHARED_DATA"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "data") + "/beijing-air"
        guard FileManager.default.fileExists(atPath: directory) else {
            throw ValidationError(
                "The air-quality data is not at \(directory): run from the project root, or pass --data.")
        }
        let scratch = target.scratch
        defer { scratch.remove() }
        let (pool, platform, now) = try await scratch.benchCity()
        let (tree, scan, timings, report, values, figures) = try await scratch.closing(pool) {
            let city = try await pool.read { try await AreaRepository().find(code: "320500", on: $0)! }
            let hour: Int64 = 3_600_000, day = 24 * hour

            print("generating \(cases) cases over a year…")
            var setup = ContinuousClock.now
            try await BenchHistory.generateYear(cases: cases, now: now, pool: pool)
            print("generated in \(ContinuousClock.now - setup)")

            print("loading a year of air quality…")
            setup = ContinuousClock.now
            let air = AirQualityImport(platform: platform)
            let files = try AirQualityImport.files(in: directory)
            let devices = try await air.registerStations(files.keys.sorted(), areaId: city.id)
            var readings: [IncomingReading] = []
            for (station, file) in files {
                guard let device = devices[station] else { continue }
                let year = try AirQualityImport.rows(file: file).suffix(365 * 24)
                guard let last = year.last?.at else { continue }
                let shift = now - hour - last
                for (index, row) in year.enumerated() where !row.values.isEmpty {
                    readings.append(
                        IncomingReading(line: index + 1, device: device.code, at: row.at + shift, values: row.values))
                }
            }
            readings.sort { ($0.at, $0.device) < ($1.at, $1.device) }
            var values = 0
            let batch = 720 * files.count
            for start in stride(from: 0, to: readings.count, by: batch) {
                values += try await platform.telemetry.ingest(
                    Array(readings[start..<min(start + batch, readings.count)]), by: .system
                ).accepted
            }
            _ = try await platform.indicators.importValues(
                code: "base.area_km2", [.init(areaId: city.id, at: now - 400 * day, value: 100)], by: .system)
            try await pool.transaction { try await $0.raw("ANALYZE").run() }
            print("loaded \(values) readings in \(ContinuousClock.now - setup)")

            // The whole tree for yesterday (a day with cases and readings), five times, on every node at
            // once; beside each round the baseline: touching every case and every reading once, on
            // every node at once too.
            let (timings, scans, report) = try await BenchNodes.with(
                first: platform, count: target.nodes, scratch: scratch, settings: scratch.settings, port: nil
            ) { nodes in
                var timings: [Double] = [], scans: [Double] = []
                var report: IndicatorReport?
                for _ in 0..<5 {
                    let trees = try await nodes.onEvery { _, node in
                        try await BenchTiming.once {
                            try await node.indicators.compute(
                                areaId: city.id, at: now - day, record: false, by: .system)
                        }
                    }
                    timings += trees.map(\.ms)
                    report = trees.first?.value
                    scans += try await nodes.onEvery { _, node in
                        try await BenchTiming.once {
                            try await node.pool.read { db in
                                _ = try await db.raw("SELECT COUNT(*) AS n FROM cases").first()
                                _ = try await db.raw(
                                    "SELECT AVG(value) AS v FROM (SELECT value FROM readings UNION ALL SELECT value FROM readings_recent) x"
                                ).first()
                            }
                        }.ms
                    }
                }
                return (timings, scans, report)
            }
            let tree = timings.sorted()[timings.count / 2]
            let figures = Dictionary(
                uniqueKeysWithValues: (report?.readings ?? []).map { ($0.indicator.code, $0.value) })
            guard figures["city.clean.garbage"] != nil, figures["city.clean.pm25"] != nil else {
                throw BenchFailure("indicators: the tree did not read the cases and readings")
            }

            let scan = scans.sorted()[scans.count / 2]
            return (tree, scan, timings, report, values, figures)
        }
        let shown = ["city", "city.clean", "city.clean.garbage", "city.clean.pm25", "city.safe.overdue"]
            .map { "\($0)=\((figures[$0] ?? nil).map { String(format: "%.1f", $0) } ?? "—")" }.joined(separator: " ")
        print(
            "tree of \(report?.readings.count ?? 0) indicators: \(timings.map { String(format: "%.0f", $0) }.joined(separator: ", ")) ms; \(shown)"
        )
        return BenchResult(
            "indicators",
            baselineMethod:
                "one plain scan of the same case and reading rows (COUNT and AVG), same database (with --nodes, on every node at once as the trees are)",
            [
                "tree_ms": BenchResult.rounded(try BenchFailure.positive(tree, "tree time"), 1),
                "baseline_scan_ms": BenchResult.rounded(scan, 1),
                "cases": cases, "readings": values, "backend": scratch.backend, "nodes": target.nodes,
            ])
    }
}
