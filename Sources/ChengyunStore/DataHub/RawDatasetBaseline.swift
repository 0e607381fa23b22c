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
            try handle.query(
                "CREATE TABLE \(table.name) (record_key TEXT PRIMARY KEY, load_version BIGINT NOT NULL, "
                    + zip(columns, fields).map { "\($0) \(DatasetTable.sqlType($1.type))" }.joined(separator: ", ")
                    + ")",
                []
            ) { _ in }
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
            let started = ContinuousClock.now
            try handle.query("BEGIN IMMEDIATE", []) { _ in }
            for index in 0..<rows {
                let record = row(index)
                let binds: [SQLiteData] =
                    [.text(record.key), .integer(1)]
                    + record.values.map { value in
                        switch value {
                        case .null: .null
                        case .text(let text): .text(text)
                        case .integer(let number): .integer(Int(number))
                        case .number(let number): .float(number)
                        }
                    }
                try handle.query(insert, binds) { _ in }
            }
            try handle.query("COMMIT", []) { _ in }
            let elapsed = ContinuousClock.now - started
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }
}
