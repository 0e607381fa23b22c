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

    func saveLatest(_ rows: [(series: Int64, track: MetricTrack)], on db: any SQLDatabase) async throws {
        for chunk in rows.chunks(of: 150) {
            let models = chunk.map { LatestRow(seriesId: $0.series, at: $0.track.at, value: $0.track.value, since: $0.track.since,
                                               previousAt: $0.track.previousAt, previous: $0.track.previous) }
            try await db.insert(into: "reading_latest").models(models, with: rowEncoder)
                .onConflict(with: ["series_id"]) { try $0.set(excludedContentOf: LatestRow(seriesId: 0, at: 0, value: 0, since: 0, previousAt: nil, previous: nil), with: rowEncoder) }
                .run()
        }
    }

    func allLatest(on db: any SQLDatabase) async throws -> [(series: Int64, track: MetricTrack)] {
        try await db.select().column("*").from("reading_latest").all(decoding: LatestRow.self, with: rowDecoder).map {
            ($0.seriesId, MetricTrack(at: $0.at, value: $0.value, since: $0.since, previousAt: $0.previousAt, previous: $0.previous))
        }
    }

    func latest(seriesIds: [Int64], on db: any SQLDatabase) async throws -> [Int64: MetricTrack] {
        guard !seriesIds.isEmpty else { return [:] }
        let rows = try await db.select().column("*").from("reading_latest").where("series_id", .in, seriesIds)
            .all(decoding: LatestRow.self, with: rowDecoder)
        return Dictionary(uniqueKeysWithValues: rows.map {
            ($0.seriesId, MetricTrack(at: $0.at, value: $0.value, since: $0.since, previousAt: $0.previousAt, previous: $0.previous))
        })
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
