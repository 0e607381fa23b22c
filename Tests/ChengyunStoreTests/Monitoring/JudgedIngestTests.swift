import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import Foundation
import SQLKit
import Testing

/// Batches are judged by the rules before they are written (on SQLite, off the writer and while
/// the batch before is being written). A batch whose write fails must leave nothing of its
/// judgement behind: batches judged after it, on a memory that counted it, are judged again.
@Suite struct JudgedIngestTests {
    static let t0: Int64 = 1_795_000_000_000 / 3_600_000 * 3_600_000
    static let minute: Int64 = 60_000

    @Test(arguments: TestBackend.available) func aBatchWhoseWriteFailsLeavesNoJudgementBehind(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend, clock: TestClock(Self.t0 + 60 * Self.minute)) { platform in
            _ = try await CaseFixture.make(platform)
            let watched = try await register(platform, "ENV-W")
            let filler = try await register(platform, "ENV-X")
            _ = try await platform.telemetry.ingest([reading("ENV-W", 0, pm25: 30)], by: .system)
            try await refuseValue(666, platform)

            // The writer is held (SQLite) while a long batch, then a batch the database refuses
            // (PM2.5 666 at minute 1, which the rules alone would take as red), then a good reading
            // for the same device and minute (300, red too) are judged and queued behind it, each
            // started only once the one before has been judged. Judged after the refused one, the
            // good reading looks old; it has to be judged again once the refusal is known.
            let release: (@Sendable () -> Void)? =
                if platform.pool.ordersWrites { try await holdWriter(platform.pool) } else { nil }
            defer { release?() }
            let long = Task {
                try await platform.telemetry.ingest(
                    (0..<3000).map { reading("ENV-X", Int64($0 % 50) + 1, pm25: 20, second: $0 / 50) }, by: .system)
            }
            // Its newest reading: i = 2999 is minute 2999 % 50 + 1 = 50, second 2999 / 50 = 59.
            try await waitUntilJudged(platform, filler, at: reading("ENV-X", 50, pm25: 20, second: 59).at)
            let refused = Task { try? await platform.telemetry.ingest([reading("ENV-W", 1, pm25: 666)], by: .system) }
            try await waitUntilJudged(platform, watched, at: reading("ENV-W", 1, pm25: 666).at)
            // The filler's reading at minute 51 only shows that the good batch has been judged
            // (the watched reading, looking old then, leaves no trace in memory).
            let goodTask = Task {
                try await platform.telemetry.ingest(
                    [reading("ENV-W", 1, pm25: 300), reading("ENV-X", 51, pm25: 20)], by: .system)
            }
            try await waitUntilJudged(platform, filler, at: reading("ENV-X", 51, pm25: 20).at)
            release?()

            let good = try await goodTask.value
            #expect(good.accepted == 2)
            #expect(await refused.value == nil)
            #expect(try await long.value.accepted == 3000)

            let alarms = try await platform.alarms.list(.init(deviceId: watched.id), page: PageRequest(), by: .system)
                .items
            #expect(alarms.map(\.severity) == [.red] && alarms.first?.value == 300 && alarms.first?.state == .raised)
            #expect(
                try await platform.devices.latest(id: watched.id, by: .system).first { $0.metric == "pm25" }?.value
                    == 300)
            #expect(
                try await platform.alarms.list(.init(deviceId: filler.id), page: PageRequest(), by: .system).items
                    .isEmpty)

            // What is in memory is what is stored: a fresh engine on the same database carries on
            // alike — the next red reading changes nothing, a clean one clears the alarm.
            #expect(try await platform.telemetry.ingest([reading("ENV-W", 2, pm25: 290)], by: .system).alarms == 0)
            let fresh = Platform(pool: platform.pool, settings: platform.settings, now: platform.now)
            #expect(try await fresh.telemetry.ingest([reading("ENV-W", 3, pm25: 280)], by: .system).alarms == 0)
            #expect(try await fresh.telemetry.ingest([reading("ENV-W", 4, pm25: 10)], by: .system).alarms == 1)
        }
    }

    /// On PostgreSQL a judged batch writes its readings before the batch before it has committed,
    /// and then waits for that commit. When both carry the same readings, the earlier one must
    /// not be left waiting in the database for the later one's rows (neither would go on): the
    /// later writes only once the earlier has written (`TurnChain`). Each reading is stored once,
    /// whether the batches land by `unnest` (a few readings) or by `COPY` (many: the later copy
    /// meets the earlier's rows, is undone, and its batch lands by `unnest`).
    @Test(.timeLimit(.minutes(5)), arguments: TestBackend.available, [2, TelemetryRepository.copyThreshold])
    func theSameReadingsSentTwiceAtOnceAreStoredOnce(backend: TestBackend, shared: Int) async throws {
        try await withPlatform(backend, clock: TestClock(Self.t0 + 60 * Self.minute)) { platform in
            _ = try await CaseFixture.make(platform)
            let twice = try await register(platform, "ENV-D")
            let filler = try await register(platform, "ENV-X")
            _ = try await platform.telemetry.ingest([reading("ENV-D", 0, pm25: 30)], by: .system)
            // The first row of the first batch takes half a second to write (PostgreSQL), so the
            // second batch writes the rows both carry first.
            if backend == .postgres { try await slowValue(7.5, platform) }
            let both = (0..<shared).map { reading("ENV-D", 2, pm25: 20, second: $0) }
            let first = Task {
                try await platform.telemetry.ingest([reading("ENV-D", 1, pm25: 7.5)] + both, by: .system)
            }
            try await waitUntilJudged(platform, twice, at: both[shared - 1].at)
            let second = try await platform.telemetry.ingest(both + [reading("ENV-X", 5, pm25: 20)], by: .system)
            let firstReport = try await first.value
            #expect(firstReport.accepted == shared + 1 && firstReport.duplicates == 0)
            #expect(second.accepted == 1 && second.duplicates == shared)
            let stored = try await platform.pool.read { db in
                try await db.raw("SELECT count(*) AS n FROM readings_recent").first()?.decode(column: "n", as: Int.self)
            }
            #expect(stored == shared + 3)
            #expect(platform.monitoring.lastReadingAt(filler) == reading("ENV-X", 5, pm25: 20).at)
        }
    }

    // MARK: Steps

    private func register(_ platform: Platform, _ code: String) async throws -> Device {
        try await try await platform.devices.register(
            NewDevice(
                code: code, kindCode: "environment", name: "站", lon: CaseFixture.pointA.lon,
                lat: CaseFixture.pointA.lat), by: .system)
    }

    private func reading(_ device: String, _ minute: Int64, pm25: Double, second: Int = 0) -> IncomingReading {
        IncomingReading(
            line: 1, device: device, at: Self.t0 + minute * Self.minute + Int64(second) * 1000, values: [("pm25", pm25)]
        )
    }

    /// Holds the SQLite writer in a transaction of the test's own, so the batches started meanwhile
    /// are judged and queue behind it in a known order; the writer goes on when `release` is called.
    private func holdWriter(_ pool: any DatabasePool) async throws -> @Sendable () -> Void {
        let (entered, enteredSignal) = AsyncStream.makeStream(of: Void.self)
        let (gate, opener) = AsyncStream.makeStream(of: Void.self)
        Task {
            defer { enteredSignal.finish() }
            try await pool.transaction { _ in
                enteredSignal.yield()
                for await _ in gate {}
            }
        }
        var holding = entered.makeAsyncIterator()
        let held = await holding.next() != nil
        try #require(held, "the writer was never held")
        return { opener.finish() }
    }

    /// Waits (20 s at most) until the hub has judged a reading of `device` stamped `at`: judging
    /// moves the device's newest reading time in memory, before the batch is queued for the writer.
    private func waitUntilJudged(
        _ platform: Platform, _ device: Device, at: Int64, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let judged = try await eventually(within: .seconds(20), every: .milliseconds(1)) {
            platform.monitoring.lastReadingAt(device) == at
        }
        try #require(judged, "\(device.code) never judged at \(at)", sourceLocation: sourceLocation)
    }

    /// A trigger that refuses one value, as a disk or a constraint might refuse a write.
    private func refuseValue(_ value: Int, _ platform: Platform) async throws {
        try await platform.pool.transaction { db in
            switch platform.pool.backend {
            case .sqlite:
                try await db.raw(
                    """
                    CREATE TRIGGER refuse_value BEFORE INSERT ON readings_recent WHEN NEW.value = \(unsafeRaw: String(value))
                    BEGIN SELECT RAISE(ABORT, 'refused'); END
                    """
                ).run()
            case .postgres:
                try await db.raw(
                    """
                    CREATE FUNCTION refuse_value() RETURNS trigger AS $$
                    BEGIN IF NEW.value = \(unsafeRaw: String(value)) THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql
                    """
                ).run()
                try await db.raw(
                    "CREATE TRIGGER refuse_value BEFORE INSERT ON readings_recent FOR EACH ROW EXECUTE FUNCTION refuse_value()"
                ).run()
            }
        }
    }

    /// A trigger that takes half a second over one value (PostgreSQL).
    private func slowValue(_ value: Double, _ platform: Platform) async throws {
        try await platform.pool.transaction { db in
            try await db.raw(
                """
                CREATE FUNCTION slow_value() RETURNS trigger AS $$
                BEGIN IF NEW.value = \(unsafeRaw: String(value)) THEN PERFORM pg_sleep(0.5); END IF; RETURN NEW; END $$ LANGUAGE plpgsql
                """
            ).run()
            try await db.raw(
                "CREATE TRIGGER slow_value BEFORE INSERT ON readings_recent FOR EACH ROW EXECUTE FUNCTION slow_value()"
            ).run()
        }
    }
}
