import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import NIOCore
import SQLKit
import Testing

/// A load's records upsert the same on every path: SQLite's prepared statement, PostgreSQL's
/// multi-row INSERT for a few, and its `COPY` through a staging table for many — text the `COPY`
/// format gives meaning to (backslash, tab, line breaks, `\N`) read back as written, NULLs apart
/// from empty text, numbers
/// beyond the integers, a key twice in one batch (the later wins), and a second batch upserting.
@Suite struct DatasetTableUpsertTests {
    static let fields = [
        DatasetField("code", .string, title: "编号", key: true), DatasetField("name", .string, title: "名称"),
        DatasetField("count", .integer, title: "数量"), DatasetField("level", .number, title: "水位"),
    ]

    private func record(_ n: Int, name: String) -> CleanRecord {
        let tricky = ["a\\b", "tab\there", "two\nlines", "cr\rlf\r\n", "\\N", "水位站 \(n)", ""]
        return CleanRecord(
            key: "K\(n)",
            values: [
                .text("K\(n)"), n % 11 == 0 ? .null : n % 17 == 0 ? .text("") : .text(tricky[n % tricky.count] + name),
                n % 13 == 0 ? .null : .integer(Int64(n) * 1_000_000_007), .number(Double(n) / 3 + 1e-9),
            ], corrected: false)
    }

    @Test(arguments: TestBackend.available, [3, DatasetTable.copyThreshold + 200])
    func recordsReadBackAsWritten(backend: TestBackend, count: Int) async throws {
        try await withPlatform(backend) { platform in
            let table = DatasetTable(datasetId: "upsert\(count)", fields: Self.fields)
            let first = (0..<count).map { record($0, name: "一") }
            // The same key twice in one batch: the later row is the one kept.
            let second = (0..<count).map { record($0 * 2, name: "二") } + [record(0, name: "末")]
            try await platform.pool.transaction { db in
                // The bulk path is PostgreSQL's: its transactions keep their connection at hand.
                #expect((PostgresSessionDatabase.connection(of: db) != nil) == (backend == .postgres))
                _ = try await table.ensure(existing: nil, on: db)
                try await table.upsert(first, version: 1, on: db)
                try await table.upsert(second, version: 2, on: db)
            }
            var expected: [String: CleanRecord] = [:]
            for record in first + second { expected[record.key] = record }
            let stored = try await platform.pool.read { db in
                try await table.records(.init(limit: 10 * count), on: db)
            }
            #expect(stored.count == expected.count)
            for row in stored {
                #expect(row.values == expected[row.key]?.values, "\(row.key)")
            }
            let versions = try await platform.pool.read { db in
                try await db.raw("SELECT record_key, load_version FROM \(unsafeRaw: table.name)").all().map {
                    (
                        try $0.decode(column: "record_key", as: String.self),
                        try $0.decode(column: "load_version", as: Int.self)
                    )
                }
            }
            for (key, version) in versions {
                let inSecond = second.contains { $0.key == key }
                #expect(version == (inSecond ? 2 : 1), "\(key)")
            }
        }
    }

    @Test func copyTextEscapesWhatTheFormatReads() {
        var buffer = ByteBuffer()
        DatasetTable.copyRow(
            CleanRecord(
                key: "k\t1", values: [.null, .text("a\\b\nc\rd"), .integer(-7), .number(2.5)], corrected: false),
            version: 3, into: &buffer)
        #expect(String(buffer: buffer) == "k\\t1\t3\t\\N\ta\\\\b\\nc\\rd\t-7\t2.5\n")
    }
}
