import ChengyunCore
import Foundation
import SQLKit

/// Raw readings, the latest value of each series and hourly rollups. A series is one metric of
/// one device, numbered by the platform, so a reading row is three numbers.
public struct TelemetryRepository: Sendable {
    public init() {}

    public struct Series: Codable, Sendable, Hashable {
        public var id: Int64
        public var deviceId: String
        public var metric: String
    }

    struct LatestRow: Codable {
        var seriesId: Int64, at: Int64, value: Double, since: Int64, previousAt: Int64?, previous: Double?
    }

    func allSeries(on db: any SQLDatabase) async throws -> [Series] {
        try await db.select().columns("id", "device_id", "metric").from("series").all(
            decoding: Series.self, with: rowDecoder)
    }

    func series(deviceId: String, on db: any SQLDatabase) async throws -> [Series] {
        try await db.select().columns("id", "device_id", "metric").from("series").where("device_id", .equal, deviceId)
            .orderBy("metric").all(decoding: Series.self, with: rowDecoder)
    }

    func insert(_ series: [Series], on db: any SQLDatabase) async throws {
        for chunk in series.chunks(of: 300) {
            try await db.insert(into: "series").models(chunk, with: rowEncoder).run()
        }
    }

    /// Adds readings, ignoring any (series, time) already stored; says how many were new.
    /// Readings from `route` on go to the time-ordered `readings_recent` (the live ones: their
    /// pages are the table's last); older ones, arriving late, to `readings`, unless the recent
    /// side holds them (during a fold). SQLite: one prepared statement stepped per row inside the
    /// caller's transaction. PostgreSQL: the live ones by `COPY` when many, else one statement over
    /// three arrays (`landRecent`); the late ones by one statement, answering only the count it
    /// inserted (no row comes back per reading).
    func insertReadings(
        count: Int, row: (Int) -> (series: Int64, at: Int64, value: Double), route: Int64,
        on db: any SQLDatabase
    ) async throws -> (accepted: Int, recent: Int) {
        guard count > 0 else { return (0, 0) }
        let late = (0..<count).filter { row($0).at < route }
        let isLate = Set(late)
        let recentSQL = "INSERT OR IGNORE INTO readings_recent (series_id, at, value) VALUES (?, ?, ?)"
        let lateSQL = """
            INSERT OR IGNORE INTO readings (series_id, at, value) SELECT ?1, ?2, ?3
            WHERE NOT EXISTS (SELECT 1 FROM readings_recent WHERE at = ?2 AND series_id = ?1)
            """
        if let sqlite = db as? SQLiteDirectDatabase {
            if late.isEmpty {
                return (
                    try sqlite.handle.insertEach(recentSQL, count: count, row: { row($0) }).lazy.filter { $0 }.count,
                    count
                )
            }
            let recent = (0..<count).filter { !isLate.contains($0) }
            let new = try sqlite.handle.insertEach(recentSQL, count: recent.count, row: { row(recent[$0]) })
            let old =
                late.isEmpty ? [] : try sqlite.handle.insertEach(lateSQL, count: late.count, row: { row(late[$0]) })
            return (new.lazy.filter { $0 }.count + old.lazy.filter { $0 }.count, recent.count)
        }
        var accepted = 0
        var start = 0
        while start < count {
            let end = min(start + 50_000, count)
            var recent = ReadingArrays(), old = ReadingArrays()
            for index in start..<end {
                if isLate.contains(index) { old.add(row(index)) } else { recent.add(row(index)) }
            }
            if !recent.series.isEmpty { accepted += try await landRecent(recent, on: db) }
            if !old.series.isEmpty {
                accepted += try await Self.count(
                    db.raw(
                        """
                        WITH added AS (
                            INSERT INTO readings (series_id, at, value)
                            SELECT u.s, u.a, u.v FROM unnest(\(bind: old.series)::bigint[], \(bind: old.times)::bigint[], \(bind: old.values)::float8[]) AS u(s, a, v)
                            WHERE NOT EXISTS (SELECT 1 FROM readings_recent r WHERE r.at = u.a AND r.series_id = u.s)
                            ON CONFLICT DO NOTHING RETURNING 1)
                        SELECT count(*) AS n FROM added
                        """
                    ).first())
            }
            start = end
        }
        return (accepted, count - late.count)
    }

    /// What the rule engine needs of each series, rebuilt from the stored readings: the latest
    /// value, the one before and since when the value has not changed (looked for up to 4,096
    /// readings back). Series whose raw readings were all rolled up start from their last hour.
    /// The recent side is read first, in one pass; then the newest folded rows — PostgreSQL in one
    /// LATERAL query, SQLite, in-process, series by series. A fold finishing in between shows a
    /// reading on both sides, never on neither; repeats are dropped.
    func tracks(of series: [Series], on db: any SQLDatabase) async throws -> [Int64: MetricTrack] {
        var newest = try await RecentReadings().newestFirst(series: Set(series.map(\.id)), on: db)
        var folded: [Int64: [(at: Int64, value: Double)]] = [:]
        if db.dialect.name == "postgresql" {
            for chunk in series.map(\.id).chunks(of: 5000) {
                let rows = try await db.raw(
                    """
                    SELECT s.id AS series_id, r.at, r.value FROM unnest(\(bind: chunk)::bigint[]) AS s(id)
                    CROSS JOIN LATERAL (SELECT at, value FROM readings WHERE series_id = s.id AND at < \(unsafeRaw: RecentReadings.foldedSQL)
                                        ORDER BY at DESC LIMIT 8) r
                    """
                ).all()
                for row in rows {
                    folded[try row.decode(column: "series_id", as: Int64.self), default: []]
                        .append(
                            (
                                try row.decode(column: "at", as: Int64.self),
                                try row.decode(column: "value", as: Double.self)
                            ))
                }
            }
        } else {
            for one in series where (newest[one.id]?.count ?? 0) < 8 {
                folded[one.id] = try await newestRows(series: one.id, before: Int64.max, limit: 8, on: db)
            }
        }
        for (id, rows) in folded {
            let recent = newest[id] ?? []
            let oldest = recent.last?.at ?? Int64.max
            newest[id] = recent + rows.filter { $0.at < oldest }.sorted { $0.at > $1.at }
        }
        var tracks: [Int64: MetricTrack] = [:]
        for one in series {
            let rows = newest[one.id] ?? []
            guard let last = rows.first else {
                if let hour = try await lastHour(series: one.id, on: db) {
                    tracks[one.id] = MetricTrack(at: hour.lastAt, value: hour.lastValue, since: hour.lastAt)
                }
                continue
            }
            var since = last.at
            var scanned = rows
            var pages = 0
            while true {
                let run = scanned.prefix { $0.value == last.value }
                since = run.last?.at ?? last.at
                guard run.count == scanned.count, scanned.count >= 8, pages < 4 else { break }
                let more = try await newestRows(series: one.id, before: scanned.last!.at, limit: 1024, on: db)
                if more.isEmpty { break }
                scanned = more
                pages += 1
                if more.first?.value != last.value { break }
            }
            tracks[one.id] = MetricTrack(
                at: last.at, value: last.value, since: since,
                previousAt: rows.count > 1 ? rows[1].at : nil, previous: rows.count > 1 ? rows[1].value : nil)
        }
        return tracks
    }

    /// Folded readings of a series before `before`, newest first.
    private func newestRows(series: Int64, before: Int64, limit: Int, on db: any SQLDatabase) async throws -> [(
        at: Int64, value: Double
    )] {
        struct Row: Codable { var at: Int64, value: Double }
        return try await db.raw(
            """
            SELECT at, value FROM readings WHERE series_id = \(bind: series) AND at < \(bind: before) AND at < \(unsafeRaw: RecentReadings.foldedSQL)
            ORDER BY at DESC LIMIT \(unsafeRaw: String(limit))
            """
        ).all(decoding: Row.self, with: rowDecoder).map { ($0.at, $0.value) }
    }

    private func lastHour(series: Int64, on db: any SQLDatabase) async throws -> HourlyRow? {
        try await db.select().column("*").from("reading_hourly").where("series_id", .equal, series).orderBy(
            "hour", .descending
        ).limit(1)
            .first(decoding: HourlyRow.self, with: rowDecoder)
    }

    /// Raw readings of a series in `[from, to)`, in time order: folded and recent in one
    /// statement, so a fold finishing meanwhile neither hides nor repeats any.
    func raw(series: Int64, from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [(at: Int64, value: Double)]
    {
        struct Row: Codable { var at: Int64, value: Double }
        return try await db.raw(
            """
            SELECT at, value FROM readings
            WHERE series_id = \(bind: series) AND at >= \(bind: from) AND at < \(bind: to) AND at < \(unsafeRaw: RecentReadings.foldedSQL)
            UNION ALL
            SELECT at, value FROM readings_recent WHERE series_id = \(bind: series) AND at >= \(bind: from) AND at < \(bind: to)
            ORDER BY at
            """
        ).all(decoding: Row.self, with: rowDecoder).map { ($0.at, $0.value) }
    }

    /// Raw readings stored, on both sides of the fold point.
    func count(on db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            SELECT (SELECT COUNT(*) FROM readings WHERE at < \(unsafeRaw: RecentReadings.foldedSQL)) + (SELECT COUNT(*) FROM readings_recent) AS n
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func hourly(series: Int64, from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [HourlyRow] {
        try await db.select().column("*").from("reading_hourly").where("series_id", .equal, series)
            .where("hour", .greaterThanOrEqual, from - from.mod(3_600_000)).where("hour", .lessThan, to).orderBy("hour")
            .all(decoding: HourlyRow.self, with: rowDecoder)
    }

    struct HourlyRow: Codable {
        var seriesId: Int64, hour: Int64, min: Double, max: Double, sum: Double, count: Int64, lastAt: Int64,
            lastValue: Double
    }

    /// Folds raw readings older than `cutoff` into hourly rollups and deletes them, a series at a
    /// time; rollups older than `dropBefore` are deleted. Returns the raw rows folded.
    func rollUp(before cutoff: Int64, dropRollupsBefore dropBefore: Int64?, pool: any DatabasePool) async throws -> Int
    {
        let seriesIds = try await pool.read { db in
            try await db.select().distinct().column("series_id").from("readings").where("at", .lessThan, cutoff)
                .all().map { try $0.decode(column: "series_id", as: Int64.self) }
        }
        var folded = 0
        for series in seriesIds {
            folded += try await pool.transaction { db in
                let rows = try await raw(series: series, from: Int64.min, to: cutoff, on: db)
                var hours: [Int64: HourlyRow] = [:]
                for hour in try await hourly(series: series, from: rows.first?.at ?? cutoff, to: cutoff, on: db) {
                    hours[hour.hour] = hour
                }
                for (at, value) in rows {
                    let hour = at - at.mod(3_600_000)
                    var bucket =
                        hours[hour]
                        ?? HourlyRow(
                            seriesId: series, hour: hour, min: value, max: value, sum: 0, count: 0,
                            lastAt: at, lastValue: value)
                    bucket.min = Swift.min(bucket.min, value)
                    bucket.max = Swift.max(bucket.max, value)
                    bucket.sum += value
                    bucket.count += 1
                    if at >= bucket.lastAt { (bucket.lastAt, bucket.lastValue) = (at, value) }
                    hours[hour] = bucket
                }
                for chunk in Array(hours.values).chunks(of: 100) {
                    try await db.insert(into: "reading_hourly").models(chunk, with: rowEncoder)
                        .onConflict(with: ["series_id", "hour"]) {
                            try $0.set(
                                excludedContentOf: HourlyRow(
                                    seriesId: 0, hour: 0, min: 0, max: 0, sum: 0, count: 0, lastAt: 0, lastValue: 0),
                                with: rowEncoder)
                        }
                        .run()
                }
                try await db.delete(from: "readings").where("series_id", .equal, series).where("at", .lessThan, cutoff)
                    .run()
                return rows.count
            }
        }
        try await dropRollups(before: dropBefore, pool: pool)
        return folded
    }

    /// Deletes the rollups older than `dropBefore` (nil keeps them for ever).
    func dropRollups(before dropBefore: Int64?, pool: any DatabasePool) async throws {
        guard let dropBefore else { return }
        try await pool.transaction { db in
            try await db.delete(from: "reading_hourly").where("hour", .lessThan, dropBefore).run()
        }
    }
}

extension Array {
    func chunks(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
