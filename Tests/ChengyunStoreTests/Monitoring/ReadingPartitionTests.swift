import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import Testing

/// Retention by whole days: on PostgreSQL each UTC day of raw readings has a partition, made
/// before the day comes and dropped after its readings are rolled up; a reading for a day without
/// a partition waits in the default one and is rolled up row by row. The rollups are the same on
/// both backends.
@Suite struct ReadingPartitionTests {
    static let day: Int64 = 86_400_000
    static let hour: Int64 = 3_600_000

    @Test(arguments: TestBackend.available) func aDayPastRetentionIsRolledUpAndDroppedWhole(backend: TestBackend)
        async throws
    {
        var settings = testSettings()
        settings.telemetry.rawRetentionDays = 2
        // 2026-11-20 00:00 UTC is day 20,777.
        let oldDay = 20_777
        let clock = TestClock(Int64(oldDay) * Self.day + 8 * Self.hour)
        try await withPlatform(backend, clock: clock, settings: settings) { platform in
            let point = CaseFixture.pointA
            _ = try await CaseFixture.make(platform)
            let env = try await platform.devices.register(
                NewDevice(code: "ENV-P", kindCode: "environment", name: "站", lon: point.lon, lat: point.lat),
                by: .system)
            #expect(try await platform.telemetry.applyRetention() == 0)
            #expect(
                try await partitionDays(platform) == (backend == .postgres ? [oldDay, oldDay + 1, oldDay + 2] : []))
            // On the old day: 2, 4, 6 at 01:00, 01:20, 01:40 and 8 at 02:10; and 5 from a day with no
            // partition (three days earlier), which waits in the default partition.
            let dayStart = Int64(oldDay) * Self.day
            var batch = [(2.0, 60), (4, 80), (6, 100), (8, 130)].enumerated().map { line, reading in
                IncomingReading(
                    line: line + 1, device: "ENV-P", at: dayStart + Int64(reading.1) * 60_000,
                    values: [("noise", reading.0)])
            }
            batch.append(IncomingReading(line: 5, device: "ENV-P", at: dayStart - 3 * Self.day, values: [("noise", 5)]))
            #expect(try await platform.telemetry.ingest(batch, by: .system).accepted == 5)
            try await platform.telemetry.foldReadings(upTo: clock.now)
            if backend == .postgres {
                #expect(try await rows(platform, in: ReadingPartitions.table(ofDay: oldDay)) == 4)
                #expect(try await rows(platform, in: "readings_default") == 1)
            }

            // Ten days on, all five are past the two days kept raw.
            clock.set(Int64(oldDay + 10) * Self.day + 8 * Self.hour)
            #expect(try await platform.telemetry.applyRetention() == 5)
            #expect(try await platform.telemetry.storedReadings().all == 0)
            let today = oldDay + 10
            #expect(try await partitionDays(platform) == (backend == .postgres ? [today, today + 1, today + 2] : []))
            let hours = try await platform.pool.read { db in
                try await db.raw(
                    "SELECT hour, min, max, sum, count, last_at, last_value FROM reading_hourly WHERE series_id IN (SELECT id FROM series WHERE device_id = \(bind: env.id)) ORDER BY hour"
                ).all().map { row in
                    [
                        try row.decode(column: "hour", as: Int64.self),
                        Int64(try row.decode(column: "min", as: Double.self)),
                        Int64(try row.decode(column: "max", as: Double.self)),
                        Int64(try row.decode(column: "sum", as: Double.self)),
                        try row.decode(column: "count", as: Int64.self),
                        try row.decode(column: "last_at", as: Int64.self),
                        Int64(try row.decode(column: "last_value", as: Double.self)),
                    ]
                }
            }
            // Hour 01: 2, 4, 6 (last at 01:40); hour 02: 8; and the lone 5 three days before.
            #expect(
                hours == [
                    [dayStart - 3 * Self.day, 5, 5, 5, 1, dayStart - 3 * Self.day, 5],
                    [dayStart + Self.hour, 2, 6, 12, 3, dayStart + 100 * 60_000, 6],
                    [dayStart + 2 * Self.hour, 8, 8, 8, 1, dayStart + 130 * 60_000, 8],
                ])
            #expect(try await platform.telemetry.applyRetention() == 0)
        }
    }

    @Test func thePlanMakesTheComingDaysAndDropsThePastOnes() {
        let day = ReadingPartitionPlan.dayMillis
        // Now is day 100 at noon; the cutoff is day 97 at 06:00: days 96 and before are wholly past.
        let plan = ReadingPartitionPlan(
            existing: [95, 96, 97, 100], now: 100 * day + day / 2, cutoff: 97 * day + day / 4, daysAhead: 2)
        #expect(plan == ReadingPartitionPlan(create: [101, 102], drop: [95, 96]))
        // A cutoff ahead of today makes nothing that would be dropped at once.
        #expect(
            ReadingPartitionPlan(existing: [], now: 100 * day, cutoff: 101 * day + 1, daysAhead: 2)
                == ReadingPartitionPlan(create: [101, 102], drop: []))
        #expect(ReadingPartitionPlan.bounds(ofDay: -1) == -day..<0)
        #expect(ReadingPartitions.table(ofDay: 20_791) == "readings_20261204")
        #expect(ReadingPartitions.day(ofTable: "readings_20261204") == 20_791)
        #expect(ReadingPartitions.day(ofTable: "readings_default") == nil)
    }

    private func partitionDays(_ platform: Platform) async throws -> [Int] {
        guard platform.pool.backend == .postgres else { return [] }
        return try await platform.pool.read { try await ReadingPartitions().days(on: $0) }.sorted()
    }

    private func rows(_ platform: Platform, in table: String) async throws -> Int {
        try await platform.pool.read { db in
            try await db.raw("SELECT count(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
                ?? -1
        }
    }
}
