import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import SQLKit
import Testing

/// Loads on both backends: a department's ledger goes through its pipeline into the dataset's
/// own table, versioned, with a quality report; a second load upserts; a dry run and a broken
/// file change nothing; consumers query by field, box and time; sharing decides who reads.
@Suite struct DatasetLoadTests {
    private func chunks(_ text: String, size: Int = 37) -> AsyncStream<[UInt8]> { BinsLedger.chunks(text, size: size) }

    private func setUp(_ platform: Platform, sharing: SharingType = .unconditional) async throws
        -> (CaseFixture, Principal)
    {
        try await BinsLedger.publish(platform, sharing: sharing)
    }

    private func ledger(_ f: CaseFixture, bins: Int = 3) -> String { BinsLedger.text(f, bins: bins) }

    @Test(arguments: TestBackend.available) func aLedgerIsCleanedLoadedAndQueried(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let (f, handler) = try await setUp(platform)
            let loads = platform.datasetLoads
            let dry = try await loads.load(
                code: "bins", format: .csv, source: .upload, dryRun: true, chunks: chunks(ledger(f)), by: handler)
            #expect(dry.version == nil && dry.sample?.count == 2 && dry.sample?.first?["kind"] == "sorted")
            let first = try await loads.load(
                code: "bins", format: .csv, source: .upload, dryRun: false, chunks: chunks(ledger(f)), by: handler)
            #expect(first.version == 1)
            #expect(
                first.report.rowsIn == 4 && first.report.kept == 2 && first.report.corrected == 2
                    && first.report.refused == 2)
            #expect(first.report.refusals.map(\.line) == [4, 5])
            #expect(first.report.refusals.map(\.reason) == [.unknownReference, .duplicateKey])

            let records = platform.datasetRecords
            let all = try await records.page(code: "bins", .init(), by: f.staff(.inspector))
            #expect(all.records.count == 2 && all.records[0][0] == .text("LJ001"))
            guard case .number(let lon) = all.records[0][4] else {
                Issue.record("no longitude")
                return
            }
            #expect(abs(lon - CaseFixture.pointA.lon) < 1e-7, "stored in WGS-84")
            let kitchen = try await records.page(code: "bins", .init(equals: ["kind": "kitchen"]), by: nil)
            #expect(kitchen.records.map { $0[0] } == [.text("LJ002")], "open data: the public reads it too")
            let box = [
                CaseFixture.pointA.lon - 0.001, CaseFixture.pointA.lat - 0.001, CaseFixture.pointA.lon + 0.001,
                CaseFixture.pointA.lat + 0.001,
            ]
            #expect(try await records.page(code: "bins", .init(bbox: box), by: handler).records.count == 1)
            let late = try await records.page(code: "bins", .init(from: 1_793_842_200_001), by: handler)
            #expect(late.records.map { $0[0] } == [.text("LJ002")])
            await #expect(throws: DomainError.self) {
                try await records.page(code: "bins", .init(equals: ["bins": "many"]), by: handler)
            }

            // The next load upserts by key: version 2, one changed, none added.
            let second = try await loads.load(
                code: "bins", format: .csv, source: .upload, dryRun: false, chunks: chunks(ledger(f, bins: 5)),
                by: handler)
            #expect(second.version == 2)
            let after = try await records.page(code: "bins", .init(), by: handler)
            #expect(after.records.count == 2 && after.records[0][3] == .integer(5))

            // A broken file changes nothing: no version 3, the records as they were.
            let broken = ledger(f) + "LJ009,\"未闭合,四分类,2,120.6,31.3,\(f.cellA.code),,\n"
            await #expect(throws: DomainError.self) {
                try await loads.load(
                    code: "bins", format: .csv, source: .upload, dryRun: false, chunks: chunks(broken), by: handler)
            }
            // Broken after several batches were written (the cleaning runs ahead of the writes on
            // a task of its own): still nothing changes.
            let many = (10..<5_010).map { "LJ\($0),点\($0),四分类,9,120.6,31.3,\(f.cellA.code),,2026/11/5 9:30" }
            await #expect(throws: DomainError.self) {
                try await loads.load(
                    code: "bins", format: .csv, source: .upload, dryRun: false,
                    chunks: chunks(ledger(f) + many.joined(separator: "\n") + "\nLJ9,\"未闭合", size: 4_096),
                    by: handler)
            }
            #expect(try await records.page(code: "bins", .init(limit: 10), by: handler).records.count == 2)
            let history = try await records.loads(code: "bins", by: handler)
            #expect(history.map(\.version) == [2, 1] && history[0].report.refusals.count == 2)
            #expect(try await records.page(code: "bins", .init(), by: handler).records[0][3] == .integer(5))
            // Others read the counts, not the refused values.
            #expect(try await records.loads(code: "bins", by: f.staff(.inspector))[0].report.refusals.isEmpty)
        }
    }

    @Test(arguments: TestBackend.available) func jsonAndGeoJSONLoadAndConditionalSharingHolds(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let (f, handler) = try await setUp(platform, sharing: .conditional)
            let a = MarsCoordinates.gcj02(fromWGS84: CaseFixture.pointA)
            let geojson = """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","geometry":{"type":"Point","coordinates":[\(a.lon),\(a.lat)]},
                  "properties":{"编号":"G1","名称":"点一","类型":"其他","网格":"\(f.cellA.code)"}},
                 {"type":"Feature","geometry":{"type":"Point","coordinates":[\(a.lon),\(a.lat)]},
                  "properties":{"编号":"G2","名称":"点二","类型":"厨余","网格":"\(f.cellA.code)","桶数":4}}]}
                """
            let loaded = try await platform.datasetLoads.load(
                code: "bins", format: .geojson, source: .upload, dryRun: false, chunks: chunks(geojson, size: 5),
                by: handler)
            #expect(loaded.report.kept == 1 && loaded.report.refusals.first?.reason == .notInCodeList)
            #expect(loaded.report.unmappedColumns == ["geometry"])
            // Without a dedupe step a key twice in one file is no error on either backend: the later row wins.
            var steps = DemoDataHub.pipeline.steps
            steps.removeLast()
            _ = try await platform.datasetLoads.setPipeline(
                code: "bins", PipelineInput(columns: DemoDataHub.pipeline.columns, steps: steps), by: handler)
            let ndjson =
                "{\"编号\":\"N1\",\"名称\":\"先\",\"经度\":\(a.lon),\"纬度\":\(a.lat),\"网格\":\"\(f.cellA.code)\"}\n"
                + "{\"编号\":\"N1\",\"名称\":\"行\",\"经度\":\(a.lon),\"纬度\":\(a.lat),\"网格\":\"\(f.cellA.code)\"}\n"
            let lines = try await platform.datasetLoads.load(
                code: "bins", format: .ndjson, source: .push, dryRun: false, chunks: chunks(ndjson), by: handler)
            #expect(lines.version == 2 && lines.report.kept == 2)
            let n1 = try await platform.datasetRecords.page(code: "bins", .init(equals: ["code": "N1"]), by: handler)
            #expect(n1.records.map { $0[1] } == [.text("行")])
            // Shared on conditions: its owner reads; another department's staff and the public do not.
            #expect(try await platform.datasetRecords.page(code: "bins", .init(), by: handler).records.count == 2)
            let other = f.staff(.handler, in: f.district, department: f.districtSanitation)
            let refused = await #expect(throws: DomainError.self) {
                try await platform.datasetRecords.page(code: "bins", .init(), by: other)
            }
            #expect(refused?.code == "not_shared_with_you")
            await #expect(throws: DomainError.self) {
                try await platform.datasetRecords.page(code: "bins", .init(), by: nil)
            }
            // Nor does anyone but its owner load into it.
            await #expect(throws: DomainError.self) {
                try await platform.datasetLoads.load(
                    code: "bins", format: .ndjson, source: .push, dryRun: false, chunks: chunks(ndjson), by: other)
            }
        }
    }

    /// On SQLite a dataset's table is stored by its key, unless a field holds geometry (large rows
    /// keep better in a rowid table); on PostgreSQL it is a heap either way. Loads read alike.
    @Test(arguments: TestBackend.available) func tablesAreStoredByKeyUnlessTheyHoldGeometry(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let (f, handler) = try await setUp(platform)
            _ = try await platform.datasetLoads.load(
                code: "bins", format: .csv, source: .upload, dryRun: false, chunks: chunks(ledger(f)), by: handler)
            let shapes = DatasetDraft(
                code: "shapes", title: "责任区", description: "", sharingType: .unconditional, openType: .open,
                updateCycle: .monthly,
                fields: [
                    DatasetField("code", .string, title: "编号", required: true, key: true),
                    DatasetField("area", .geometry, title: "范围"),
                ])
            _ = try await platform.dataCatalog.register(shapes, by: handler)
            let feature = #"[{"code":"Q1","area":"{\"type\":\"Point\",\"coordinates\":[120.6,31.3]}"}]"#
            let loaded = try await platform.datasetLoads.load(
                code: "shapes", format: .json, source: .upload, dryRun: false, chunks: chunks(feature), by: handler)
            #expect(loaded.report.kept == 1, "\(loaded.report.refusals)")
            #expect(try await platform.datasetRecords.page(code: "shapes", .init(), by: handler).records.count == 1)
            guard backend == .sqlite else { return }
            let tables = try await platform.pool.read { db in
                try await db.raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'dsr_%'").all()
                    .map { try $0.decode(column: "sql", as: String.self) }
            }
            #expect(tables.count == 2 && tables.filter { $0.hasSuffix("WITHOUT ROWID") }.count == 1, "\(tables)")
            #expect(tables.first { $0.contains("f_area") }?.hasSuffix("WITHOUT ROWID") == false)
        }
    }

    /// A first load leaves its table with its indexes besides the key (position, time, indexed
    /// fields: three for the ledger; on PostgreSQL made once the records are in); a later load
    /// keeps them as they are.
    @Test(arguments: TestBackend.available) func aFirstLoadIndexesItsTableOnceTheRecordsAreIn(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let (f, handler) = try await setUp(platform)
            let indexes = {
                try await platform.pool.read { db in
                    let sql: SQLQueryString =
                        backend == .sqlite
                        ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'dsr_%' AND sql IS NOT NULL"
                        : "SELECT indexname AS name FROM pg_indexes WHERE tablename LIKE 'dsr_%' AND schemaname = current_schema() AND indexname NOT LIKE '%_pkey'"
                    return try await db.raw(sql).all().map { try $0.decode(column: "name", as: String.self) }.sorted()
                }
            }
            for _ in 0..<2 {
                let loaded = try await platform.datasetLoads.load(
                    code: "bins", format: .csv, source: .upload, dryRun: false, chunks: chunks(ledger(f)), by: handler)
                #expect(loaded.report.kept == 2)
                let names = try await indexes()
                #expect(names.count == 3, "\(names)")
            }
            let near = try await platform.datasetRecords.page(
                code: "bins", .init(bbox: [120.5, 31.2, 120.7, 31.4]), by: handler)
            #expect(near.records.count == 2)
        }
    }

    /// A load whose body stops arriving and whose task is cancelled (a client gone, a node
    /// stopping) changes nothing: a stream cut short is never taken for the whole file.
    @Test(arguments: TestBackend.available) func aLoadCancelledWhileItsBodyArrivesChangesNothing(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let (f, handler) = try await setUp(platform)
            let (body, arriving) = AsyncStream.makeStream(of: [UInt8].self)
            arriving.yield(Array(ledger(f).utf8)) // whole rows so far, and then nothing more
            let load = Task {
                try await platform.datasetLoads.load(
                    code: "bins", format: .csv, source: .upload, dryRun: false, chunks: body, by: handler)
            }
            try await Task.sleep(for: .milliseconds(300))
            load.cancel()
            await #expect(throws: CancellationError.self) { try await load.value }
            arriving.finish()
            #expect(try await platform.datasetRecords.loads(code: "bins", by: handler).isEmpty)
        }
    }
}
