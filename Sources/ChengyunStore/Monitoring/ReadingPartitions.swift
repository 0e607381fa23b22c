import ChengyunCore
import Foundation
import SQLKit

/// The partitions of `readings` on PostgreSQL (migration 035, `ReadingPartitionPlan`). Each
/// change is one transaction under one advisory lock, and waits at most five seconds for a table
/// lock (a long reader makes the round try again an hour later rather than queue ingest behind
/// it). A partition past retention is first detached — a moment's lock; a late reading for its
/// day then goes to the default partition instead of being dropped with it — and then, detached,
/// rolled up into `reading_hourly` and dropped in a transaction of its own; a crash between the
/// two leaves a detached table that the next round finishes.
struct ReadingPartitions {
    struct Listing: Equatable {
        /// Attached partitions with their ranges (not the default one).
        var attached: [String: Range<Int64>] = [:]
        /// Former partitions detached but not yet rolled up and dropped.
        var detached: [String] = []
    }

    func list(on db: any SQLDatabase) async throws -> Listing {
        var listing = Listing()
        for row in try await db.raw(
            """
            SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'readings'::regclass
            """
        ).all() {
            let name = try row.decode(column: "name", as: String.self)
            if let range = Self.range(ofBound: try row.decode(column: "bound", as: String.self)) {
                listing.attached[name] = range
            }
        }
        listing.detached = try await db.raw(
            """
            SELECT relname AS name FROM pg_class
            WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND NOT relispartition
              AND (relname ~ '^readings_[0-9]{8}$' OR relname = 'readings_legacy')
            ORDER BY relname
            """
        ).all().map { try $0.decode(column: "name", as: String.self) }
        return listing
    }

    /// Makes the day's partition, unless another round made it (or a partition covers it) meanwhile.
    func create(day: Int, on db: any SQLDatabase) async throws {
        try await guarded(db)
        let range = ReadingPartitionPlan.bounds(ofDay: day)
        guard try await !list(on: db).attached.values.contains(where: { $0.overlaps(range) }) else { return }
        try await db.raw(
            """
            CREATE TABLE \(ident: Self.table(ofDay: day)) PARTITION OF readings
            FOR VALUES FROM (\(unsafeRaw: String(range.lowerBound))) TO (\(unsafeRaw: String(range.upperBound)))
            """
        ).run()
    }

    /// Detaches a partition from `readings` (if still attached).
    func detach(_ name: String, on db: any SQLDatabase) async throws {
        try await guarded(db)
        guard try await list(on: db).attached[name] != nil else { return }
        try await db.raw("ALTER TABLE readings DETACH PARTITION \(ident: name)").run()
    }

    /// Rolls a detached former partition up into `reading_hourly` and drops it; returns its readings.
    func rollUpAndDrop(_ name: String, on db: any SQLDatabase) async throws -> Int {
        try await guarded(db)
        guard try await list(on: db).detached.contains(name) else { return 0 }
        let count =
            try await db.raw("SELECT count(*) AS n FROM \(ident: name)").first()?.decode(column: "n", as: Int.self) ?? 0
        try await db.raw(Self.upsertHourly(from: SQLIdentifier(name))).run()
        try await db.raw("DROP TABLE \(ident: name)").run()
        return count
    }

    /// Rolls up and deletes the readings of `table` (the default partition, or the legacy one
    /// straddling the cutoff) before `cutoff` in one statement: exactly the rows deleted are
    /// rolled up, whatever arrives meanwhile. Returns how many.
    func rollUpRows(of table: String, before cutoff: Int64, on db: any SQLDatabase) async throws -> Int {
        let upsert = Self.upsertHourly(from: SQLIdentifier("gone"))
        return try await db.raw(
            """
            WITH gone AS (DELETE FROM \(ident: table) WHERE at < \(bind: cutoff) RETURNING series_id, at, value),
                 up AS (\(upsert) RETURNING 1)
            SELECT count(*) AS n FROM gone
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Readings of `source` folded into hourly rollups, merged with the rollups already there as
    /// `TelemetryRepository.rollUp` merges them (the newer last value wins, a tie to the new one).
    private static func upsertHourly(from source: SQLIdentifier) -> SQLQueryString {
        """
        INSERT INTO reading_hourly (series_id, hour, min, max, sum, count, last_at, last_value)
        SELECT series_id, at - ((at % 3600000) + 3600000) % 3600000 AS hour, min(value), max(value), sum(value),
               count(*), max(at), (array_agg(value ORDER BY at DESC))[1]
        FROM \(source) GROUP BY 1, 2
        ON CONFLICT (series_id, hour) DO UPDATE SET
            min = LEAST(reading_hourly.min, EXCLUDED.min),
            max = GREATEST(reading_hourly.max, EXCLUDED.max),
            sum = reading_hourly.sum + EXCLUDED.sum,
            count = reading_hourly.count + EXCLUDED.count,
            last_value = CASE WHEN EXCLUDED.last_at >= reading_hourly.last_at
                              THEN EXCLUDED.last_value ELSE reading_hourly.last_value END,
            last_at = GREATEST(reading_hourly.last_at, EXCLUDED.last_at)
        """
    }

    /// One change of this schema's partitions at a time (a transaction lock: it cannot outlive
    /// the transaction on a pooled connection), and no long wait for a table lock.
    private func guarded(_ db: any SQLDatabase) async throws {
        try await db.raw(
            "SELECT pg_advisory_xact_lock(hashtext('chengyun.reading_partitions:' || current_database() || ':' || current_schema()))"
        ).run()
        try await db.raw("SET LOCAL lock_timeout = '5s'").run()
    }

    /// `readings_20261204` for the day 2026-12-04 (UTC).
    static func table(ofDay day: Int) -> String {
        let date = LocalDate(dayNumber: day)
        return "readings_" + String(format: "%04d%02d%02d", date.year, date.month, date.day)
    }

    /// The range in a partition bound as PostgreSQL writes it back, e.g.
    /// `FOR VALUES FROM ('1764633600000') TO ('1764720000000')` or `FROM (MINVALUE)`; nil for `DEFAULT`.
    static func range(ofBound bound: String) -> Range<Int64>? {
        func value(after keyword: String) -> Int64? {
            guard let start = bound.range(of: keyword + " (") else { return nil }
            let text = bound[start.upperBound...].prefix { $0 != ")" }.filter { $0 != "'" }
            if text == "MINVALUE" { return Int64.min }
            if text == "MAXVALUE" { return Int64.max }
            return Int64(text)
        }
        guard let low = value(after: "FROM"), let high = value(after: "TO"), low < high else { return nil }
        return low..<high
    }
}
