import ChengyunCore
import Foundation
import SQLiteNIO

/// The yardstick for loads (`chengyun bench datahub`): the cleaned rows written into a dataset
/// table of the same shape (same columns, key and indexes) the simplest way — the platform's
/// C-level SQLite handle and pragmas, one prepared INSERT a row, one transaction, nothing read,
/// parsed or checked.
public enum RawDatasetBaseline {
    public static func run(
        path: String, fields: [DatasetField], rows: Int, row: @escaping @Sendable (Int) -> CleanRecord
    ) async throws -> Double {
        try await HandWrittenSQLite.run(path: path) { handle in
            let table = DatasetTable(datasetId: "baseline", fields: fields)
            let columns = fields.map(DatasetTable.column)
            let definition = DatasetTable.definition(
                zip(columns, fields).map { "\($0) \(DatasetTable.sqlType($1.type))" }.joined(separator: ", "))
            // Stored as the platform stores it (`compact`: keyed by the record's key unless geometry).
            try handle.query("CREATE TABLE \(table.name) (\(definition))\(table.compact(dialect: "sqlite"))", []) { _ in
            }
            if let lon = table.lon, let lat = table.lat {
                try handle.query(
                    "CREATE INDEX \(table.name)_position ON \(table.name)(f_\(lon.name), f_\(lat.name))", []
                ) { _ in }
            }
            for field in fields where field.indexed == true || field.name == table.time?.name {
                try handle.query("CREATE INDEX \(table.name)_\(field.name) ON \(table.name)(f_\(field.name))", []) {
                    _ in
                }
            }
            let insert =
                "INSERT INTO \(table.name) (record_key, load_version, \(columns.joined(separator: ", "))) VALUES (?, ?"
                + String(repeating: ", ?", count: columns.count) + ")"
            // Only the statements are timed: the rows are made beforehand, a chunk at a time.
            var elapsed = Duration.zero
            let timed = { (work: () throws -> Void) in
                let started = ContinuousClock.now
                try work()
                elapsed += ContinuousClock.now - started
            }
            try timed { try handle.query("BEGIN IMMEDIATE", []) { _ in } }
            for chunk in stride(from: 0, to: rows, by: 5_000) {
                let binds = (chunk..<min(chunk + 5_000, rows)).map { index in
                    var binds: [SQLiteData] = []
                    DatasetTable.sqliteRow(row(index), version: 1, into: &binds)
                    return binds
                }
                try timed { try handle.runEach(insert, count: binds.count) { $1 = binds[$0] } }
            }
            try timed { try handle.query("COMMIT", []) { _ in } }
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }
}
