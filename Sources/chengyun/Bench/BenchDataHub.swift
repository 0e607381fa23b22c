import ArgumentParser
import ChengyunCore
import ChengyunStore
import Foundation

/// Aggregation and the consumers' API at size: `rows` rows of a waste-sorting-point ledger as a
/// CSV streamed through a six-step pipeline (trim, code list, range, phone, date, GCJ-02 →
/// WGS-84) into the dataset's table, beside the raw INSERT of the same cleaned rows; then first
/// pages of an indexed-field filter with a bounding box, timed (with `--nodes N`, shared out among
/// the nodes at once); then webhooks to fifty subscribers of the dataset (`BenchWebhooks`): of its
/// versions, one a POST and in batches, and of its records (`RecordFeed`). On the
/// embedded default or `--database postgres://…`.
struct BenchDataHub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datahub", abstract: "Load a million CSV rows through a cleaning pipeline; query them.")

    @Option(help: "Rows in the file.") var rows = 1_000_000
    @Option(help: "Queries timed after the load.") var queries = 1_000
    @Option(help: "Rows a write when the file is made.") var chunkRows = 5_000
    @Option(help: "Changes (one-row loads) sent to the webhook subscribers.") var changes = 200
    @Option(help: "Webhook subscribers to the dataset.") var subscribers = 50
    @Option(help: "Deliveries a POST in the batched webhook run (after the run of one a POST).") var batchSize = 100
    @Option(help: "Sources making the changes at once.") var changeLanes = 8
    @Option(help: "Record changes sent to the record-feed subscribers (topic records).") var recordChanges = 10_000
    @Option(help: "Records a push in the record-feed run.") var recordsPerLoad = 20
    @Option(help: "Record changes a second offered in the record-feed run (0: as fast as they commit).")
    var recordRate = 2_000.0
    @Option(help: "The loopback port of the bench's webhook receiver.") var receiverPort = 18_191
    @OptionGroup var target: BenchTarget

    func run() async throws { print(try await measure().json) }

    static let kinds = ["四分类", "厨余", "可回收"]
    static let cells = 400

    /// Row `n` of the ledger, as the department's system exports it (GCJ-02 positions).
    static func line(_ n: Int) -> String {
        let point = position(n)
        let mars = MarsCoordinates.gcj02(fromWGS84: point)
        return "  LJ\(n) ,投放点\(n), \(kinds[n % 3]) ,\(1 + n % 8),\(mars.lon),\(mars.lat),C\(n % cells),"
            + "0512-6\(5_200_000 + n % 1_000_000),2026/11/\(1 + n % 28) \(n % 24):30\n"
    }

    /// Where row `n` stands: spread over 0.2° of the city, its cell by its index.
    static func position(_ n: Int) -> GeoPoint {
        var random = SplitMix64(seed: UInt64(n))
        return GeoPoint(
            lon: 120.5 + Double(random.next() % 200_000) / 1_000_000,
            lat: 31.2 + Double(random.next() % 200_000) / 1_000_000)
    }

    /// The same row as the pipeline leaves it, for the raw baseline.
    static func cleaned(_ n: Int) -> CleanRecord {
        let point = position(n)
        let at = Instant.parse(String(format: "2026-11-%02dT%02d:30:00+08:00", 1 + n % 28, n % 24)) ?? 0
        return CleanRecord(
            key: "LJ\(n)",
            values: [
                .text("LJ\(n)"), .text("投放点\(n)"), .text(["sorted", "kitchen", "recyclable"][n % 3]),
                .integer(Int64(1 + n % 8)), .number(point.lon), .number(point.lat), .text("C\(n % cells)"),
                .text("05126\(5_200_000 + n % 1_000_000)"), .integer(at),
            ], corrected: true)
    }

    func measure() async throws -> BenchResult {
        let scratch = target.scratch
        defer { scratch.remove() }
        let pool = try await scratch.open()
        let (figures, loadPerSecond) = try await scratch.closing(pool) { try await run(on: pool, scratch) }
        var baselines: [String: Any] = [:]
        let baselineSeconds: Double
        if let database = target.database {
            // Two yardsticks: plain multi-row INSERTs, and `COPY` (the platform's own path for a
            // load's batches on PostgreSQL) straight into the table; the ratio is against `COPY`.
            let fresh = BenchDatabase(postgres: database)
            defer { fresh.remove() }
            let pool = try await fresh.open()
            let (insert, copy, after) = try await fresh.closing(pool) {
                (
                    try await RawDatasetBaseline.run(
                        pool: pool, fields: DemoDataHub.fields, rows: rows, writing: .insert, row: Self.cleaned),
                    try await RawDatasetBaseline.run(
                        pool: pool, fields: DemoDataHub.fields, rows: rows, writing: .copy, row: Self.cleaned),
                    try await RawDatasetBaseline.run(
                        pool: pool, fields: DemoDataHub.fields, rows: rows, writing: .copy, indexesAfter: true,
                        row: Self.cleaned)
                )
            }
            baselines["baseline_insert_rows_per_s"] = BenchResult.rounded(Double(rows) / insert, 0)
            // A first load there indexes its table once the records are in: the like-for-like yardstick.
            baselines["baseline_indexes_after_rows_per_s"] = BenchResult.rounded(Double(rows) / after, 0)
            baselines["load_ratio_indexes_after"] = BenchResult.rounded(loadPerSecond / (Double(rows) / after), 3)
            baselineSeconds = copy
        } else {
            baselineSeconds = try await RawDatasetBaseline.run(
                path: scratch.directory + "/baseline.sqlite", fields: DemoDataHub.fields, rows: rows, row: Self.cleaned)
        }
        return BenchResult(
            "datahub",
            baselineMethod: target.database == nil
                ? "the same rows already cleaned, one prepared INSERT each into a table of the same columns and indexes, "
                    + "one transaction, on the platform's own SQLite handle (no parsing, no cleaning, no upsert)"
                : "the same rows already cleaned, one COPY (text) of 5,000 rows at a time straight into a table of the "
                    + "same columns and indexes in a fresh schema, one transaction (no parsing, no cleaning, no staging, "
                    + "no upsert); baseline_insert_rows_per_s: the same by multi-row INSERTs; "
                    + "baseline_indexes_after_rows_per_s: COPY into a table indexed only by its key, then its "
                    + "other indexes made, all timed",
            figures.merging(
                baselines.merging([
                    "baseline_rows_per_s": BenchResult.rounded(Double(rows) / baselineSeconds, 0),
                    "load_ratio": BenchResult.rounded(loadPerSecond / (Double(rows) / baselineSeconds), 3),
                ]) { a, _ in a }
            ) { a, _ in a })
    }

    /// The load, the queries and the webhooks on the run's database: their figures, and the load's rate.
    private func run(on pool: any DatabasePool, _ scratch: BenchDatabase) async throws -> (
        figures: [String: Any], loadPerSecond: Double
    ) {
        let platform = Platform(pool: pool, settings: scratch.settings, now: { EpochMillis.now() })
        let city = try await platform.organisation.createArea(
            NewArea(code: "320500", name: "苏州市", level: .city, parentId: nil), by: .system)
        let department = try await platform.organisation.createDepartment(
            NewDepartment(code: "D-SAN", name: "市环卫处", kind: .sanitation, areaId: city.id, phone: nil), by: .system)
        let scope = AreaScope(areaId: city.id, path: city.path)
        let owner = Principal(
            kind: .staff, id: "bench-owner", name: "bench", roles: [.handler], scope: scope, departmentId: department.id
        )
        let centre = Principal(kind: .staff, id: "bench-centre", name: "bench", roles: [.admin], scope: scope)
        let draft = DatasetDraft(
            code: "bench-points", title: "投放点", description: "", sharingType: .unconditional, openType: .open,
            updateCycle: .daily, fields: DemoDataHub.fields)
        _ = try await platform.dataCatalog.register(draft, by: owner)
        _ = try await platform.dataCatalog.act(code: "bench-points", .submit, note: nil, by: owner)
        _ = try await platform.dataCatalog.act(code: "bench-points", .approve, note: nil, by: centre)
        let steps: [CleaningStep] = [
            .trim,
            .codeList(field: "kind", map: ["四分类": "sorted", "厨余": "kitchen", "可回收": "recyclable"], strict: true),
            .range(field: "bins", min: 1, max: 20), .phone(field: "phone"), .date(field: "checked_at"), .gcj02ToWgs84,
        ]
        _ = try await platform.datasetLoads.setPipeline(
            code: "bench-points", PipelineInput(columns: DemoDataHub.pipeline.columns, steps: steps), by: owner)
        // The file is written to disk first, untimed, and read back a quarter megabyte at a time as
        // a load's body arrives: what is timed is the platform's work, not the making of the file.
        let path = scratch.directory + "/points.csv"
        try LedgerFile.write(path: path, rows: rows, chunkRows: chunkRows)
        func file() throws -> AsyncThrowingStream<[UInt8], any Error> {
            try FileChunks.stream(path: path, chunkBytes: 1 << 18)
        }
        // The same file through the pipeline with nothing written (a dry run): the cleaning's own rate.
        let (_, cleanMs) = try await BenchTiming.once {
            try await platform.datasetLoads.load(
                code: "bench-points", format: .csv, source: .push, dryRun: true, chunks: try file(), by: owner)
        }
        let rssBefore = Self.residentMegabytes()
        let (load, loadMs) = try await BenchTiming.once {
            try await platform.datasetLoads.load(
                code: "bench-points", format: .csv, source: .push, dryRun: false, chunks: try file(), by: owner)
        }
        let rssAfter = Self.residentMegabytes()
        guard load.report.kept == rows else {
            throw BenchFailure("datahub: \(load.report.kept) of \(rows) rows kept: \(load.report.refusals.prefix(3))")
        }
        // What the table holds, not what the report says: a batch lost between cleaning and writing shows here.
        let stored = try await platform.datasetRecords.window(
            code: "bench-points", .init(limit: 0), offset: 0, by: owner
        ).total
        guard stored == rows else { throw BenchFailure("datahub: \(stored) of \(rows) rows in the table") }
        let inspector = Principal(kind: .staff, id: "bench-reader", name: "bench", roles: [.inspector], scope: scope)
        let (queries, rows) = (self.queries, self.rows)
        let shares = try await BenchNodes.with(
            first: platform, count: target.nodes, scratch: scratch, settings: scratch.settings, port: nil
        ) { nodes in
            try await nodes.onEvery { index, node in
                var latencies = Latencies()
                var found = 0
                for n in stride(from: index, to: queries, by: nodes.count) {
                    let point = Self.position(n * 7_919 % rows)
                    let query = DatasetRecordService.Query(
                        equals: ["grid_cell": "C\(n % Self.cells)"],
                        bbox: [point.lon - 0.02, point.lat - 0.02, point.lon + 0.02, point.lat + 0.02], limit: 100)
                    found += try await BenchTiming.timed(&latencies) {
                        try await node.datasetRecords.page(code: "bench-points", query, by: inspector)
                    }.records.count
                }
                return (latencies, found)
            }
        }
        var latencies = Latencies()
        for share in shares { latencies.merge(share.0) }
        let found = shares.map(\.1).reduce(0, +)
        // One delivery a POST, then the same subscribers asking for batches (`WebhookBatch`), then
        // following the records (`RecordFeed`): each record pushed a change.
        var webhooks: [String: Any] = [:]
        let runs: [(SubscriptionTopic, Int, String, Int)] = [
            (.dataset, 1, "webhook_", changes), (.dataset, batchSize, "webhook_batched_", changes),
            (.records, batchSize, "webhook_records_", recordChanges),
        ]
        for (n, (topic, size, prefix, count)) in runs.enumerated() {
            let figures = try await BenchWebhooks.measure(
                pool: pool, settings: scratch.settings, owner: owner, code: "bench-points", changes: count,
                subscribers: subscribers, batchSize: size, lanes: changeLanes, prefix: prefix, first: 2 * n * changes,
                port: receiverPort, line: Self.line, header: LedgerFile.header, topic: topic,
                recordsPerLoad: recordsPerLoad, rate: topic == .records && recordRate > 0 ? recordRate : nil)
            webhooks.merge(figures) { a, _ in a }
        }
        let loadPerSecond = Double(rows) / (loadMs / 1000)
        var figures = try latencies.figures("query")
        figures["query_p95_ms"] = BenchResult.rounded(latencies.milliseconds(at: 95))
        let head: [String: Any] = [
            "backend": scratch.backend, "nodes": target.nodes, "rows": rows, "pipeline_steps": steps.count,
            "load_rows_per_s": BenchResult.rounded(loadPerSecond, 0),
            "clean_rows_per_s": BenchResult.rounded(Double(rows) / (cleanMs / 1000), 0),
            "rss_before_load_mb": BenchResult.rounded(rssBefore, 1),
            "rss_after_load_mb": BenchResult.rounded(rssAfter, 1),
            "queries": queries, "query_rows_found": found,
        ]
        return (head.merging(figures) { a, _ in a }.merging(webhooks) { a, _ in a }, loadPerSecond)
    }

    /// This process's resident memory now, from /proc (Linux).
    static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }
}

/// The bench's ledger as a file on disk: the header, then the rows, `chunkRows` lines a write.
private enum LedgerFile {
    static let header = "编号,名称,类型,桶数,经度,纬度,网格,电话,检查时间\n"

    static func write(path: String, rows: Int, chunkRows: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(header.utf8)) else {
            throw BenchFailure("datahub: cannot write \(path)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        for start in stride(from: 0, to: rows, by: max(1, chunkRows)) {
            try handle.write(
                contentsOf: Data((start..<min(start + chunkRows, rows)).map(BenchDataHub.line).joined().utf8))
        }
    }
}
