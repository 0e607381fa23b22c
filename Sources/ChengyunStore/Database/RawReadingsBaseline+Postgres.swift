import Foundation
import NIOCore
import PostgresNIO
import SQLKit

extension RawReadingsBaseline {
    /// How the hand-written PostgreSQL path lands a batch in `readings_recent`.
    public enum Landing: String, Sendable {
        /// One `INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING` a batch (as the platform does).
        case unnest
        /// One `COPY readings_recent FROM STDIN` a batch (text format; no conflict handling).
        case copy
    }

    /// The PostgreSQL yardstick, on a freshly migrated schema (the platform's own tables): the
    /// same batches landed in `readings_recent` by `landing`, a transaction each, and folded the
    /// platform's PostgreSQL way — each window moved by one `INSERT INTO readings … SELECT` in
    /// series order and dropped, in one transaction — then the backlog folded after the clock.
    public static func run(pool: any DatabasePool, seconds: Double, shape: Shape, landing: Landing) async throws
        -> Figures
    {
        guard let postgres = pool as? PostgresDatabasePool else { throw NotPostgres() }
        var batches = TimedBatches(seconds: seconds, shape: shape)
        while let rows = batches.next() {
            switch landing {
            case .unnest:
                try await pool.transaction { db in
                    try await db.raw(
                        """
                        INSERT INTO readings_recent (series_id, at, value)
                        SELECT * FROM unnest(\(bind: rows.map(\.0))::bigint[], \(bind: rows.map(\.1))::bigint[], \(bind: rows.map(\.2))::float8[])
                        ON CONFLICT DO NOTHING
                        """
                    ).run()
                }
            case .copy:
                // The platform's own line writer and one-write copy: only the savepoint is left out.
                var text = ByteBuffer()
                text.reserveCapacity(rows.count * 36)
                for row in rows { TelemetryRepository.copyLine(row.0, row.1, row.2, into: &text) }
                try await postgres.withConnection { connection in
                    try await connection.copyText(text, into: "readings_recent", columns: ["series_id", "at", "value"])
                }
            }
            if batches.landed() { try await fold(pool, shape: shape) }
        }
        let appendSeconds = (ContinuousClock.now - batches.start).seconds
        let drainStart = ContinuousClock.now
        try await fold(pool, shape: shape)
        return batches.figures(appendSeconds: appendSeconds, drainSeconds: (ContinuousClock.now - drainStart).seconds)
    }

    private static func fold(_ pool: any DatabasePool, shape: Shape) async throws {
        while true {
            let end = try await pool.read { db -> Int64? in
                guard
                    let first = try await db.raw("SELECT MIN(at) AS at FROM readings_recent").first()?.decode(
                        column: "at", as: Int64?.self)
                else { return nil }
                let cut = try await db.raw(
                    "SELECT at FROM readings_recent ORDER BY at LIMIT 1 OFFSET \(unsafeRaw: String(shape.windowRows))"
                )
                .first()?.decode(column: "at", as: Int64.self)
                // A window ends between two times (past the first, so each one moves something).
                return cut.map { max($0, first + 1) } ?? Int64.max
            }
            guard let end else { return }
            try await pool.transaction { db in
                try await db.raw(
                    """
                    INSERT INTO readings (series_id, at, value)
                    SELECT series_id, at, value FROM readings_recent WHERE at < \(bind: end) ORDER BY series_id, at
                    ON CONFLICT DO NOTHING
                    """
                ).run()
                try await db.raw("DELETE FROM readings_recent WHERE at < \(bind: end)").run()
            }
            if end == Int64.max { return }
        }
    }

    struct NotPostgres: Error, CustomStringConvertible {
        var description: String { "the PostgreSQL baseline needs a PostgreSQL pool" }
    }
}
