import ChengyunCore
import Foundation
import SQLKit

/// The day partitions of `readings` on PostgreSQL (migration 035, `ReadingPartitionPlan`): which
/// exist, making one (moving any readings of its day out of the default partition first), and
/// dropping one after its readings are rolled up into `reading_hourly` — in one transaction, so
/// a failure leaves the day as it was.
struct ReadingPartitions {
    /// The days that have a partition of their own.
    func days(on db: any SQLDatabase) async throws -> Set<Int> {
        let names = try await db.raw(
            """
            SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'readings'::regclass
            """
        ).all().map { try $0.decode(column: "name", as: String.self) }
        return Set(names.compactMap(Self.day(ofTable:)))
    }

    /// Makes the day's partition, if no other round made it meanwhile.
    func create(day: Int, on db: any SQLDatabase) async throws {
        try await lock(db)
        guard try await !days(on: db).contains(day) else { return }
        let table = Self.table(ofDay: day)
        let range = ReadingPartitionPlan.bounds(ofDay: day)
        let (low, high) = (String(range.lowerBound), String(range.upperBound))
        try await db.raw("CREATE TABLE \(ident: table) (LIKE readings INCLUDING DEFAULTS)").run()
        try await db.raw(
            """
            WITH moved AS (
                DELETE FROM readings_default WHERE at >= \(bind: range.lowerBound) AND at < \(bind: range.upperBound)
                RETURNING series_id, at, value)
            INSERT INTO \(ident: table) (series_id, at, value) SELECT series_id, at, value FROM moved
            """
        ).run()
        // With the constraint in place, attaching need not scan the table to prove its rows fit.
        try await db.raw(
            "ALTER TABLE \(ident: table) ADD CONSTRAINT \(ident: table + "_day") CHECK (at >= \(unsafeRaw: low) AND at < \(unsafeRaw: high))"
        ).run()
        try await db.raw(
            "ALTER TABLE readings ATTACH PARTITION \(ident: table) FOR VALUES FROM (\(unsafeRaw: low)) TO (\(unsafeRaw: high))"
        ).run()
    }

    /// Rolls the day's readings up into `reading_hourly` (merged with rollups already there) and
    /// drops its partition; returns the readings rolled up.
    func rollUpAndDrop(day: Int, on db: any SQLDatabase) async throws -> Int {
        try await lock(db)
        guard try await days(on: db).contains(day) else { return 0 }
        let table = Self.table(ofDay: day)
        let count =
            try await db.raw("SELECT count(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
            ?? 0
        try await db.raw(
            """
            INSERT INTO reading_hourly (series_id, hour, min, max, sum, count, last_at, last_value)
            SELECT series_id, at - ((at % 3600000) + 3600000) % 3600000 AS hour, min(value), max(value), sum(value),
                   count(*), max(at), (array_agg(value ORDER BY at DESC))[1]
            FROM \(ident: table) GROUP BY 1, 2
            ON CONFLICT (series_id, hour) DO UPDATE SET
                min = LEAST(reading_hourly.min, EXCLUDED.min),
                max = GREATEST(reading_hourly.max, EXCLUDED.max),
                sum = reading_hourly.sum + EXCLUDED.sum,
                count = reading_hourly.count + EXCLUDED.count,
                last_value = CASE WHEN EXCLUDED.last_at >= reading_hourly.last_at
                                  THEN EXCLUDED.last_value ELSE reading_hourly.last_value END,
                last_at = GREATEST(reading_hourly.last_at, EXCLUDED.last_at)
            """
        ).run()
        try await db.raw("DROP TABLE \(ident: table)").run()
        return count
    }

    /// One change of this schema's partitions at a time (a transaction lock: it cannot outlive the
    /// transaction on a pooled connection).
    private func lock(_ db: any SQLDatabase) async throws {
        try await db.raw("SELECT pg_advisory_xact_lock(hashtext('chengyun.reading_partitions:' || current_schema()))")
            .run()
    }

    /// `readings_20261204` for the day 2026-12-04 (UTC).
    static func table(ofDay day: Int) -> String {
        let date = LocalDate(dayNumber: day)
        return "readings_" + String(format: "%04d%02d%02d", date.year, date.month, date.day)
    }

    static func day(ofTable name: String) -> Int? {
        let digits = name.dropFirst("readings_".count)
        guard name.hasPrefix("readings_"), digits.count == 8, digits.allSatisfy(\.isASCII), let number = Int(digits)
        else { return nil }
        return LocalDate(year: number / 10_000, month: number / 100 % 100, day: number % 100).dayNumber
    }
}
