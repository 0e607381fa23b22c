import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Live readings land in the time-ordered recent table and are folded into the series-ordered
/// one: every answer stays the same across a fold, repeats stay repeats on either side, late
/// readings go straight to the folded side, a fold cut short is finished, and the rule engine
/// rebuilt after a restart reads both sides.
@Suite struct ReadingFoldTests {
    static let minute: Int64 = 60_000
    static let t0: Int64 = 1_795_000_000_000 / 3_600_000 * 3_600_000

    @Test(arguments: TestBackend.available) func aFoldMovesReadingsAndChangesNoAnswer(backend: TestBackend) async throws
    {
        try await withPlatform(backend, clock: TestClock(Self.t0 + 60 * Self.minute), settings: smallFolds()) {
            platform in
            let device = try await register(platform)
            // 40 minutes of one reading a minute, two metrics each: 80 values.
            let report = try await platform.telemetry.ingest(
                (0..<40).map { reading($0 + 1, Int64($0), noise: Double(50 + $0 % 7), pm25: 30) }, by: .system)
            #expect(report.accepted == 80)
            let before = try await answers(platform, device)
            #expect(try await platform.telemetry.storedReadings() == (all: 80, recent: 80))

            // Fold the first 25 minutes: 50 values move, in windows of 7 rows and slices of 3.
            let timesBefore = platform.monitoring.foldTimes
            #expect(try await platform.telemetry.foldReadings(upTo: Self.t0 + 25 * Self.minute) == 50)
            // The fold says where its time went: its windows (of 7 rows here) held the 50 rows, each
            // step timed; only SQLite's fold sorts in the process.
            let times = platform.monitoring.foldTimes.since(timesBefore)
            #expect(times.windows > 1 && times.rows == 50, "\(times)")
            #expect(times.read > .zero && times.copy > .zero && times.trim > .zero)
            #expect((times.sort > .zero) == (backend == .sqlite), "\(times)")
            #expect(try await platform.telemetry.storedReadings() == (all: 80, recent: 30))
            #expect(try await tableCounts(platform) == (folded: 50, recent: 30))
            #expect(try await answers(platform, device) == before)

            // Repeats of readings on either side are repeats; a late reading (before the fold
            // point) is stored on the folded side.
            let again = try await platform.telemetry.ingest(
                [reading(1, 3, noise: 99, pm25: 99), reading(2, 33, noise: 99, pm25: 99)], by: .system)
            #expect(again.accepted == 0 && again.duplicates == 4)
            let late = try await platform.telemetry.ingest(
                [IncomingReading(line: 1, device: "ENV-F", at: Self.t0 + 90_000, values: [("noise", 61)])],
                by: .system)
            #expect(late.accepted == 1)
            #expect(try await tableCounts(platform) == (folded: 51, recent: 30))
            let series = try await platform.devices.series(
                id: device.id, metric: "noise", from: Self.t0, to: Self.t0 + 2 * Self.minute,
                bucketSeconds: 3600, by: .system)
            #expect(series.buckets.first?.count == 3 && series.buckets.first?.max == 61)

            // Everything up to now; nothing is left on the recent side, and nothing is lost.
            #expect(try await platform.telemetry.foldReadings(upTo: Self.t0 + 60 * Self.minute) == 30)
            #expect(try await tableCounts(platform) == (folded: 81, recent: 0))
            #expect(try await platform.telemetry.foldReadings(upTo: Self.t0 + 60 * Self.minute) == 0)
        }
    }

    @Test(arguments: TestBackend.available) func aFoldCutShortIsFinishedAndTheEngineReadsBothSides(backend: TestBackend)
        async throws
    {
        let clock = TestClock(Self.t0 + 60 * Self.minute)
        try await withPlatform(backend, clock: clock, settings: smallFolds()) { first in
            let device = try await register(first)
            // The PM2.5 value stays 30 for 20 minutes, then 31: "since" has to look across the fold point.
            _ = try await first.telemetry.ingest(
                (0..<20).map { reading($0 + 1, Int64($0), noise: 50, pm25: $0 < 12 ? 30 : 31) }, by: .system)
            #expect(try await first.telemetry.foldReadings(upTo: Self.t0 + 15 * Self.minute) == 30)

            // A fold that stopped after moving the route and copying part of the rows (a crash).
            try await first.pool.transaction { db in
                try await db.raw("UPDATE reading_fold SET route = \(bind: Self.t0 + 18 * Self.minute)").run()
                try await db.raw(
                    """
                    INSERT INTO readings (series_id, at, value) SELECT series_id, at, value FROM readings_recent WHERE at < \(bind: Self.t0 + 16 * Self.minute)
                    """
                ).run()
            }
            // A new process on the same database: a repeat inside the unfinished window is still a
            // repeat, and the next fold finishes the window before anything else.
            let second = Platform(pool: first.pool, settings: first.settings, now: first.now)
            let again = try await second.telemetry.ingest([reading(1, 16, noise: 1, pm25: 1)], by: .system)
            #expect(again.accepted == 0 && again.duplicates == 2)
            #expect(try await second.telemetry.foldIfDue(lastFold: clock.now) == 6)
            #expect(try await tableCounts(second) == (folded: 36, recent: 4))

            let latest = try await second.devices.latest(id: device.id, by: .system).first { $0.metric == "pm25" }
            #expect(
                latest?.at == Self.t0 + 19 * Self.minute && latest?.value == 31
                    && latest?.since == Self.t0 + 12 * Self.minute)
            // A third process rebuilds the engine from both sides: the next 31 changes nothing,
            // the stuck-value memory ("since") carries on.
            let third = Platform(pool: first.pool, settings: first.settings, now: first.now)
            #expect(try await third.telemetry.ingest([reading(1, 20, noise: 50, pm25: 31)], by: .system).accepted == 2)
            #expect(
                try await third.devices.latest(id: device.id, by: .system).first { $0.metric == "pm25" }?.since == Self
                    .t0 + 12 * Self.minute)
        }
    }

    /// Readings that were in the series-ordered table before migration 018 stay before the fold point.
    @Test(arguments: TestBackend.available) func readingsFromBeforeTheRecentTableStayWhereTheyAre(backend: TestBackend)
        async throws
    {
        try await withPlatform(
            backend, clock: TestClock(Self.t0 + 60 * Self.minute), migrate: false, settings: smallFolds()
        ) { platform in
            // The schema before 018, plus the event outbox that registering a device writes to today.
            try await Migrator(migrations: migrations(before: 18) + Migrations.all.filter { $0.version == 33 })
                .migrate(platform.pool)
            let device = try await register(platform)
            try await platform.pool.transaction { db in
                try await db.raw("INSERT INTO series (id, device_id, metric) VALUES (1, \(bind: device.id), 'noise')")
                    .run()
                try await db.raw(
                    "INSERT INTO readings (series_id, at, value) VALUES (1, \(bind: Self.t0), 40), (1, \(bind: Self.t0 + Self.minute), 41)"
                ).run()
            }
            try await Migrator().migrate(platform.pool)
            // The old reading repeated is a repeat; a newer one lands on the recent side.
            let report = try await platform.telemetry.ingest(
                [
                    IncomingReading(line: 1, device: "ENV-F", at: Self.t0 + Self.minute, values: [("noise", 9)]),
                    IncomingReading(line: 2, device: "ENV-F", at: Self.t0 + 2 * Self.minute, values: [("noise", 42)]),
                ],
                by: .system)
            #expect(report.accepted == 1 && report.duplicates == 1)
            #expect(try await tableCounts(platform) == (folded: 2, recent: 1))
            #expect(try await platform.devices.latest(id: device.id, by: .system).first?.value == 42)
        }
    }

    // MARK: Steps

    private func smallFolds() -> PlatformSettings {
        var settings = testSettings()
        settings.telemetry.foldWindowRows = 7
        settings.telemetry.foldSliceRows = 3
        settings.telemetry.foldLagMillis = 0
        return settings
    }

    private func register(_ platform: Platform) async throws -> Device {
        let f = try await CaseFixture.make(platform)
        _ = f
        return try await platform.devices.register(
            NewDevice(
                code: "ENV-F", kindCode: "environment", name: "站", lon: CaseFixture.pointA.lon,
                lat: CaseFixture.pointA.lat), by: .system)
    }

    private func reading(_ line: Int, _ minute: Int64, noise: Double, pm25: Double) -> IncomingReading {
        IncomingReading(
            line: line, device: "ENV-F", at: Self.t0 + minute * Self.minute, values: [("noise", noise), ("pm25", pm25)])
    }

    private struct Answers: Equatable {
        var latest: [LatestValue]
        var noise: SeriesAnswer
        var pm25: SeriesAnswer
    }

    private func answers(_ platform: Platform, _ device: Device) async throws -> Answers {
        func series(_ metric: String) async throws -> SeriesAnswer {
            try await platform.devices.series(
                id: device.id, metric: metric, from: Self.t0, to: Self.t0 + 60 * Self.minute, bucketSeconds: 600,
                by: .system)
        }
        return Answers(
            latest: try await platform.devices.latest(id: device.id, by: .system), noise: try await series("noise"),
            pm25: try await series("pm25"))
    }

    private func tableCounts(_ platform: Platform) async throws -> (folded: Int, recent: Int) {
        try await platform.pool.read { db in
            (
                try await db.raw("SELECT COUNT(*) AS n FROM readings").first()?.decode(column: "n", as: Int.self) ?? -1,
                try await db.raw("SELECT COUNT(*) AS n FROM readings_recent").first()?.decode(column: "n", as: Int.self)
                    ?? -1
            )
        }
    }
}
