import ChengyunCore
import Foundation

extension RawDatasetBaseline {
    /// How the PostgreSQL yardstick writes its rows.
    public enum Writing: String, Sendable {
        /// Plain multi-row INSERTs, a few hundred rows a statement.
        case insert
        /// One `COPY … FROM STDIN` (text format) a chunk, straight into the table.
        case copy
    }

    /// The PostgreSQL yardstick: the same cleaned rows into a table of the same shape (made by the
    /// platform's own `CREATE TABLE` and indexes; `indexesAfter`, the indexes besides the key made
    /// once the rows are in, timed too) by `writing` — no conflict clause, no staging,
    /// nothing read, parsed or checked — in one transaction. Only the statements and the commit
    /// are timed: the rows are made beforehand, a chunk at a time.
    public static func run(
        pool: any DatabasePool, fields: [DatasetField], rows: Int, writing: Writing = .insert,
        indexesAfter: Bool = false, row: @escaping @Sendable (Int) -> CleanRecord
    ) async throws -> Double {
        let table = DatasetTable(
            datasetId: "baseline" + writing.rawValue + (indexesAfter ? "after" : ""), fields: fields)
        _ = try await pool.transaction { try await table.ensure(existing: nil, indexing: !indexesAfter, on: $0) }
        let started = ContinuousClock.now
        let making = try await pool.transaction { db in
            var making = Duration.zero
            for chunk in stride(from: 0, to: rows, by: 5_000) {
                let made = ContinuousClock.now
                let records = (chunk..<min(chunk + 5_000, rows)).map(row)
                making += ContinuousClock.now - made
                switch writing {
                case .insert:
                    try await table.insert(records, version: 1, on: db)
                case .copy:
                    guard let connection = PostgresSessionDatabase.connection(of: db) else {
                        throw RawReadingsBaseline.NotPostgres()
                    }
                    try await table.copyUpsert(records, version: 1, update: nil, into: connection, on: db)
                }
            }
            if indexesAfter { try await table.createIndexes(on: db) }
            return making
        }
        let elapsed = ContinuousClock.now - started - making
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
