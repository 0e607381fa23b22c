import ChengyunCore
import ChengyunStore
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

    @Test(arguments: TestBackend.available) func aBatchWhoseWriteFailsLeavesNoJudgementBehind(backend: TestBackend) async throws {
        try await withPlatform(backend, clock: TestClock(Self.t0 + 60 * Self.minute)) { platform in
            _ = try await CaseFixture.make(platform)
            let watched = try await register(platform, "ENV-W")
            let filler = try await register(platform, "ENV-X")
            _ = try await platform.telemetry.ingest([reading("ENV-W", 0, pm25: 30)], by: .system)
            try await refuseValue(666, platform)

            // A long batch keeps the writer busy; meanwhile a batch the database refuses (PM2.5 666
            // at minute 1, which the rules alone would take as red) and, after it, a good reading
            // for the same device and minute (300, red too). Judged after the refused one, the good
            // reading would look old; it has to be judged again once the refusal is known.
            async let long = platform.telemetry.ingest((0..<3000).map { reading("ENV-X", Int64($0 % 50) + 1, pm25: 20, second: $0 / 50) }, by: .system)
            try await Task.sleep(for: .milliseconds(2))
            async let refused: IngestReport? = try? await platform.telemetry.ingest([reading("ENV-W", 1, pm25: 666)], by: .system)
            try await Task.sleep(for: .milliseconds(1))
            let good = try await platform.telemetry.ingest([reading("ENV-W", 1, pm25: 300)], by: .system)
            #expect(good.accepted == 1)
            #expect(await refused == nil)
            #expect(try await long.accepted == 3000)

            let alarms = try await platform.alarms.list(.init(deviceId: watched.id), page: PageRequest(), by: .system).items
            #expect(alarms.map(\.severity) == [.red] && alarms.first?.value == 300 && alarms.first?.state == .raised)
            #expect(try await platform.devices.latest(id: watched.id, by: .system).first { $0.metric == "pm25" }?.value == 300)
            #expect(try await platform.alarms.list(.init(deviceId: filler.id), page: PageRequest(), by: .system).items.isEmpty)

            // What is in memory is what is stored: a fresh engine on the same database carries on
            // alike — the next red reading changes nothing, a clean one clears the alarm.
            #expect(try await platform.telemetry.ingest([reading("ENV-W", 2, pm25: 290)], by: .system).alarms == 0)
            let fresh = Platform(pool: platform.pool, settings: platform.settings, now: platform.now)
            #expect(try await fresh.telemetry.ingest([reading("ENV-W", 3, pm25: 280)], by: .system).alarms == 0)
            #expect(try await fresh.telemetry.ingest([reading("ENV-W", 4, pm25: 10)], by: .system).alarms == 1)
        }
    }

    // MARK: Steps

    private func register(_ platform: Platform, _ code: String) async throws -> Device {
        try await try await platform.devices.register(NewDevice(code: code, kindCode: "environment", name: "站", lon: CaseFixture.pointA.lon,
                                                             lat: CaseFixture.pointA.lat), by: .system)
    }

    private func reading(_ device: String, _ minute: Int64, pm25: Double, second: Int = 0) -> IncomingReading {
        IncomingReading(line: 1, device: device, at: Self.t0 + minute * Self.minute + Int64(second) * 1000, values: [("pm25", pm25)])
    }

    /// A trigger that refuses one value, as a disk or a constraint might refuse a write.
    private func refuseValue(_ value: Int, _ platform: Platform) async throws {
        try await platform.pool.transaction { db in
            switch platform.pool.backend {
            case .sqlite:
                try await db.raw("""
                    CREATE TRIGGER refuse_value BEFORE INSERT ON readings_recent WHEN NEW.value = \(unsafeRaw: String(value))
                    BEGIN SELECT RAISE(ABORT, 'refused'); END
                    """).run()
            case .postgres:
                try await db.raw("""
                    CREATE FUNCTION refuse_value() RETURNS trigger AS $$
                    BEGIN IF NEW.value = \(unsafeRaw: String(value)) THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql
                    """).run()
                try await db.raw("CREATE TRIGGER refuse_value BEFORE INSERT ON readings_recent FOR EACH ROW EXECUTE FUNCTION refuse_value()").run()
            }
        }
    }
}
