import Foundation
import SQLKit

/// The yardstick for telemetry ingest (`chengyun bench ingest`): the same reading rows bulk
/// inserted with nothing else — one prepared statement, batches of `batch` rows a transaction,
/// WAL, `synchronous = FULL`, the page and cache size of the platform's own file — into a table
/// of the definition of `readings` (keyed by series, where every reading ends up), or of
/// `readings_recent` (keyed by time, where live readings land first).
public enum RawReadingsBaseline {
    /// Inserts `rows` rows (`series` series, one new time each round) and returns rows per second.
    public static func run(directory: String, rows: Int, series: Int, batch: Int, timeOrdered: Bool = false) throws -> Double {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + (timeOrdered ? "/raw-recent.sqlite" : "/raw.sqlite")
        let handle = try SQLiteHandle(path: path)
        defer { handle.close() }
        for pragma in ["PRAGMA page_size = \(SQLiteDatabasePool.pageSize)", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                       "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -65536",
                       "PRAGMA journal_size_limit = \(SQLiteDatabasePool.walSizeLimit)"] {
            try handle.query(pragma, []) { _ in }
        }
        try handle.query("""
            CREATE TABLE readings (series_id BIGINT NOT NULL, at BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL,
                                   PRIMARY KEY \(timeOrdered ? "(at, series_id)" : "(series_id, at)")) WITHOUT ROWID
            """, []) { _ in }
        let start = ContinuousClock.now
        let base: Int64 = 1_795_000_000_000
        var done = 0
        while done < rows {
            let count = min(batch, rows - done)
            let offset = done
            try handle.query("BEGIN IMMEDIATE", []) { _ in }
            _ = try handle.insertEach("INSERT OR IGNORE INTO readings (series_id, at, value) VALUES (?, ?, ?)", count: count) { index in
                let n = offset + index
                return (Int64(n % series + 1), base + Int64(n / series) * 1000, Double(n % 97) + 0.5)
            }
            try handle.query("COMMIT", []) { _ in }
            done += count
        }
        let elapsed = ContinuousClock.now - start
        return Double(rows) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}

extension RawReadingsBaseline {
    /// The PostgreSQL yardstick: the same rows bulk inserted into a table of the same definition
    /// in the bench's own schema, through the same driver — one `unnest` statement of `batch` rows
    /// a transaction, nothing else. Returns rows per second.
    public static func run(pool: any DatabasePool, rows: Int, series: Int, batch: Int) async throws -> Double {
        try await pool.transaction { db in
            try await db.raw("""
                CREATE TABLE readings_baseline (series_id BIGINT NOT NULL, at BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL,
                                                PRIMARY KEY (series_id, at))
                """).run()
        }
        let start = ContinuousClock.now
        let base: Int64 = 1_795_000_000_000
        var done = 0
        while done < rows {
            let count = min(batch, rows - done)
            var ids: [Int64] = [], times: [Int64] = [], values: [Double] = []
            for n in done..<(done + count) {
                ids.append(Int64(n % series + 1)); times.append(base + Int64(n / series) * 1000); values.append(Double(n % 97) + 0.5)
            }
            try await pool.transaction { db in
                try await db.raw("""
                    INSERT INTO readings_baseline (series_id, at, value)
                    SELECT * FROM unnest(\(bind: ids)::bigint[], \(bind: times)::bigint[], \(bind: values)::float8[])
                    ON CONFLICT DO NOTHING
                    """).run()
            }
            done += count
        }
        let elapsed = ContinuousClock.now - start
        return Double(rows) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
