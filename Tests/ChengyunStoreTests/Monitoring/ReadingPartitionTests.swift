import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import SQLKit
import Testing

/// Retention by whole days on PostgreSQL: the table as it stood is the legacy partition (up to
/// the day after tomorrow at migration); later days get partitions a day or two ahead; a day's
/// readings stay raw, untouched, while hourly rounds pass, until all of the day is past the
/// cutoff, when it is detached, rolled up and dropped whole. The rollups are the same as SQLite's
/// row-by-row ones.
@Suite struct ReadingPartitionTests {
    static let day: Int64 = 86_400_000
    static let hour: Int64 = 3_600_000

    @Test(arguments: TestBackend.available) func aDayStaysWholeUntilAllOfItIsPastThenGoesInOnePiece(
        backend: TestBackend
    ) async throws {
        var settings = testSettings()
        settings.telemetry.rawRetentionDays = 2
        // Migrated on 2026-11-20 (day 20,777): the legacy partition ends at 2026-11-22 00:00.
        let migrated = 20_777
        let d = migrated + 2
        let clock = TestClock(Int64(migrated) * Self.day + 8 * Self.hour)
        try await withPlatform(backend, clock: clock, migrate: false, settings: settings) { platform in
            try await Migrator().migrate(platform.pool, now: clock.now)
            let point = CaseFixture.pointA
            _ = try await CaseFixture.make(platform)
            let env = try await platform.devices.register(
                NewDevice(code: "ENV-P", kindCode: "environment", name: "站", lon: point.lon, lat: point.lat),
                by: .system)
            // Two days on, the round makes day d + 1's and d + 2's partitions (d is legacy's end).
            clock.set(Int64(d) * Self.day + 8 * Self.hour)
            #expect(try await platform.telemetry.applyRetention() == 0)
            #expect(
                try await attached(platform)
                    == (backend == .postgres ? ["readings_legacy", table(d + 1), table(d + 2)] : []))
            // Day d + 1: 2, 4, 6 at 01:00, 01:20, 01:40 and 8 at 02:10 — as they arrive, a day ahead
            // of the clock is refused, so the clock moves there; and 5 on day d - 3 (legacy's).
            clock.set(Int64(d + 1) * Self.day + 3 * Self.hour)
            let dayStart = Int64(d + 1) * Self.day
            var batch = [(2.0, 60), (4, 80), (6, 100), (8, 130)].enumerated().map { line, reading in
                IncomingReading(
                    line: line + 1, device: "ENV-P", at: dayStart + Int64(reading.1) * 60_000,
                    values: [("noise", reading.0)])
            }
            batch.append(IncomingReading(line: 5, device: "ENV-P", at: dayStart - 4 * Self.day, values: [("noise", 5)]))
            #expect(try await platform.telemetry.ingest(batch, by: .system).accepted == 5)
            try await platform.telemetry.foldReadings(upTo: clock.now)
            if backend == .postgres {
                #expect(try await rows(platform, in: table(d + 1)) == 4)
                #expect(try await rows(platform, in: "readings_legacy") == 1)
            }

            // Round by round, an hour apart, from day d + 3 on (the cutoff two days back moves
            // through day d + 1): SQLite rolls each reading up as the cutoff passes it; PostgreSQL
            // keeps the day whole until all of it is past, and drops legacy (past since d) at once.
            var rolledUp: [Int] = []
            for round in 0...25 {
                clock.set(Int64(d + 3) * Self.day + Int64(round) * Self.hour)
                rolledUp.append(try await platform.telemetry.applyRetention())
                if backend == .postgres, round < 24 {
                    #expect(try await rows(platform, in: table(d + 1)) == 4, "round \(round): the day is whole")
                }
            }
            if backend == .postgres {
                #expect(rolledUp[0] == 1 && rolledUp[24] == 4 && rolledUp.reduce(0, +) == 5, "\(rolledUp)")
                #expect(!(try await attached(platform).contains("readings_legacy")))
                #expect(!(try await attached(platform).contains(table(d + 1))))
                #expect(try await platform.pool.read { try await ReadingPartitions().list(on: $0).detached } == [])
            } else {
                // Hour 01's three once the cutoff passes 02:00, 02:10's once it passes 03:00.
                #expect(rolledUp[0] == 1 && rolledUp[2] == 3 && rolledUp[3] == 1 && rolledUp.reduce(0, +) == 5)
            }
            #expect(try await platform.telemetry.storedReadings().all == 0)
            #expect(
                try await hourly(platform, device: env.id) == [
                    [dayStart - 4 * Self.day, 5, 5, 5, 1, dayStart - 4 * Self.day, 5],
                    [dayStart + Self.hour, 2, 6, 12, 3, dayStart + 100 * 60_000, 6],
                    [dayStart + 2 * Self.hour, 8, 8, 8, 1, dayStart + 130 * 60_000, 8],
                ])
        }
    }

    @Test func thePlanMakesOnlyComingDaysAndDropsWhatIsWhollyPast() {
        let day = ReadingPartitionPlan.dayMillis
        let existing = [
            "readings_legacy": Int64.min..<96 * day, "p96": 96 * day..<97 * day, "p97": 97 * day..<98 * day,
            "p101": 101 * day..<102 * day,
        ]
        // Now is day 100 at noon; the cutoff is day 97 at 06:00: legacy and day 96 are wholly past,
        // 97 straddles; today (100) is not made (its readings may be waiting in default), 101 exists.
        let plan = ReadingPartitionPlan(
            existing: existing, now: 100 * day + day / 2, cutoff: 97 * day + day / 4, daysAhead: 2)
        #expect(plan == ReadingPartitionPlan(create: [102], drop: ["readings_legacy", "p96"]))
        #expect(ReadingPartitionPlan.day(of: -1) == -1 && ReadingPartitionPlan.day(of: 0) == 0)
        #expect(ReadingPartitionPlan.bounds(ofDay: -1) == -day..<0)
        #expect(ReadingPartitions.table(ofDay: 20_791) == "readings_20261204")
        #expect(
            ReadingPartitions.range(ofBound: "FOR VALUES FROM ('1764633600000') TO ('1764720000000')")
                == 1_764_633_600_000..<1_764_720_000_000)
        #expect(ReadingPartitions.range(ofBound: "FOR VALUES FROM (MINVALUE) TO ('5')") == Int64.min..<5)
        #expect(ReadingPartitions.range(ofBound: "DEFAULT") == nil)
    }

    private func table(_ day: Int) -> String { ReadingPartitions.table(ofDay: day) }

    private func attached(_ platform: Platform) async throws -> [String] {
        guard platform.pool.backend == .postgres else { return [] }
        return try await platform.pool.read { try await ReadingPartitions().list(on: $0) }.attached.keys.sorted {
            $0 == "readings_legacy" || ($1 != "readings_legacy" && $0 < $1)
        }
    }

    private func rows(_ platform: Platform, in table: String) async throws -> Int {
        try await platform.pool.read { db in
            try await db.raw("SELECT count(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
                ?? -1
        }
    }

    private func hourly(_ platform: Platform, device: String) async throws -> [[Int64]] {
        try await platform.pool.read { db in
            try await db.raw(
                "SELECT hour, min, max, sum, count, last_at, last_value FROM reading_hourly WHERE series_id IN (SELECT id FROM series WHERE device_id = \(bind: device)) ORDER BY hour"
            ).all().map { row in
                [
                    try row.decode(column: "hour", as: Int64.self),
                    Int64(try row.decode(column: "min", as: Double.self)),
                    Int64(try row.decode(column: "max", as: Double.self)),
                    Int64(try row.decode(column: "sum", as: Double.self)),
                    try row.decode(column: "count", as: Int64.self), try row.decode(column: "last_at", as: Int64.self),
                    Int64(try row.decode(column: "last_value", as: Double.self)),
                ]
            }
        }
    }
}
