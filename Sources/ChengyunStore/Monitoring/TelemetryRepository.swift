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
        try await db.select().columns("id", "device_id", "metric").from("series").all(decoding: Series.self, with: rowDecoder)
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

    /// Adds readings, ignoring any (series, time) already stored; says which rows were new.
    /// SQLite: one prepared statement stepped per row inside the caller's transaction. PostgreSQL:
    /// one statement over three arrays, returning the rows it inserted.
    func insertReadings(count: Int, row: (Int) -> (series: Int64, at: Int64, value: Double), on db: any SQLDatabase) async throws -> [Bool] {
        guard count > 0 else { return [] }
        if let sqlite = db as? SQLiteDirectDatabase {
            return try sqlite.handle.insertEach("INSERT OR IGNORE INTO readings (series_id, at, value) VALUES (?, ?, ?)", count: count) {
                let r = row($0)
                return (r.series, r.at, r.value)
            }
        }
        var inserted = [Bool](repeating: false, count: count)
        var start = 0
        while start < count {
            let end = min(start + 50_000, count)
            var series: [Int64] = [], times: [Int64] = [], values: [Double] = []
            var position: [Pair: Int] = [:]
            for index in start..<end {
                let r = row(index)
                series.append(r.series); times.append(r.at); values.append(r.value)
                if position[Pair(series: r.series, at: r.at)] == nil { position[Pair(series: r.series, at: r.at)] = index }
            }
            let rows = try await db.raw("""
                INSERT INTO readings (series_id, at, value)
                SELECT * FROM unnest(\(bind: series)::bigint[], \(bind: times)::bigint[], \(bind: values)::float8[])
                ON CONFLICT DO NOTHING RETURNING series_id, at
                """).all()
            for found in rows {
                let key = Pair(series: try found.decode(column: "series_id", as: Int64.self), at: try found.decode(column: "at", as: Int64.self))
                if let index = position[key] { inserted[index] = true }
            }
            start = end
        }
        return inserted
    }

    private struct Pair: Hashable { var series: Int64, at: Int64 }

    /// What the rule engine needs of each series, rebuilt from the stored readings: the latest
    /// value, the one before and since when the value has not changed (looked for up to 4,096
    /// readings back). Series whose raw readings were all rolled up start from their last hour.
    /// PostgreSQL reads the newest rows of every series in one LATERAL query; SQLite, in-process,
    /// asks series by series.
    func tracks(of series: [Series], on db: any SQLDatabase) async throws -> [Int64: MetricTrack] {
        var newest: [Int64: [(at: Int64, value: Double)]] = [:]
        if db.dialect.name == "postgresql" {
            for chunk in series.map(\.id).chunks(of: 5000) {
                let rows = try await db.raw("""
                    SELECT s.id AS series_id, r.at, r.value FROM unnest(\(bind: chunk)::bigint[]) AS s(id)
                    CROSS JOIN LATERAL (SELECT at, value FROM readings WHERE series_id = s.id ORDER BY at DESC LIMIT 8) r
                    """).all()
                for row in rows {
                    newest[try row.decode(column: "series_id", as: Int64.self), default: []]
                        .append((try row.decode(column: "at", as: Int64.self), try row.decode(column: "value", as: Double.self)))
                }
            }
        } else {
            for one in series { newest[one.id] = try await newestRows(series: one.id, before: Int64.max, limit: 8, on: db) }
        }
        var tracks: [Int64: MetricTrack] = [:]
        for one in series {
            var rows = newest[one.id] ?? []
            rows.sort { $0.at > $1.at }
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
            tracks[one.id] = MetricTrack(at: last.at, value: last.value, since: since,
                                         previousAt: rows.count > 1 ? rows[1].at : nil, previous: rows.count > 1 ? rows[1].value : nil)
        }
        return tracks
    }

    private func newestRows(series: Int64, before: Int64, limit: Int, on db: any SQLDatabase) async throws -> [(at: Int64, value: Double)] {
        struct Row: Codable { var at: Int64, value: Double }
        return try await db.select().columns("at", "value").from("readings").where("series_id", .equal, series).where("at", .lessThan, before)
            .orderBy("at", .descending).limit(limit).all(decoding: Row.self, with: rowDecoder).map { ($0.at, $0.value) }
    }

    private func lastHour(series: Int64, on db: any SQLDatabase) async throws -> HourlyRow? {
        try await db.select().column("*").from("reading_hourly").where("series_id", .equal, series).orderBy("hour", .descending).limit(1)
            .first(decoding: HourlyRow.self, with: rowDecoder)
    }

    func raw(series: Int64, from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [(at: Int64, value: Double)] {
        struct Row: Codable { var at: Int64, value: Double }
        return try await db.select().columns("at", "value").from("readings").where("series_id", .equal, series)
            .where("at", .greaterThanOrEqual, from).where("at", .lessThan, to).orderBy("at")
            .all(decoding: Row.self, with: rowDecoder).map { ($0.at, $0.value) }
    }

    func hourly(series: Int64, from: Int64, to: Int64, on db: any SQLDatabase) async throws -> [HourlyRow] {
        try await db.select().column("*").from("reading_hourly").where("series_id", .equal, series)
            .where("hour", .greaterThanOrEqual, from - from.mod(3_600_000)).where("hour", .lessThan, to).orderBy("hour")
            .all(decoding: HourlyRow.self, with: rowDecoder)
    }

    struct HourlyRow: Codable {
        var seriesId: Int64, hour: Int64, min: Double, max: Double, sum: Double, count: Int64, lastAt: Int64, lastValue: Double
    }

    /// Folds raw readings older than `cutoff` into hourly rollups and deletes them, a series at a
    /// time; rollups older than `dropBefore` are deleted. Returns the raw rows folded.
    func rollUp(before cutoff: Int64, dropRollupsBefore dropBefore: Int64?, pool: any DatabasePool) async throws -> Int {
        let seriesIds = try await pool.read { db in
            try await db.select().distinct().column("series_id").from("readings").where("at", .lessThan, cutoff)
                .all().map { try $0.decode(column: "series_id", as: Int64.self) }
        }
        var folded = 0
        for series in seriesIds {
            folded += try await pool.transaction { db in
                let rows = try await raw(series: series, from: Int64.min, to: cutoff, on: db)
                var hours: [Int64: HourlyRow] = [:]
                for hour in try await hourly(series: series, from: rows.first?.at ?? cutoff, to: cutoff, on: db) { hours[hour.hour] = hour }
                for (at, value) in rows {
                    let hour = at - at.mod(3_600_000)
                    var bucket = hours[hour] ?? HourlyRow(seriesId: series, hour: hour, min: value, max: value, sum: 0, count: 0,
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
                            try $0.set(excludedContentOf: HourlyRow(seriesId: 0, hour: 0, min: 0, max: 0, sum: 0, count: 0, lastAt: 0, lastValue: 0),
                                       with: rowEncoder)
                        }
                        .run()
                }
                try await db.delete(from: "readings").where("series_id", .equal, series).where("at", .lessThan, cutoff).run()
                return rows.count
            }
        }
        if let dropBefore {
            try await pool.transaction { db in try await db.delete(from: "reading_hourly").where("hour", .lessThan, dropBefore).run() }
        }
        return folded
    }
}

extension Int64 {
    /// The remainder that is never negative (times before 1970 floor to their hour too).
    func mod(_ divisor: Int64) -> Int64 { ((self % divisor) + divisor) % divisor }
}

extension Array {
    func chunks(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
