import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Telemetry in, alarms out: the default PM2.5 bands with their hysteresis, repeats that change
/// nothing, refused lines that leave the good ones, no-data, maintenance, restarts, and a rule
/// that opens a case — each expectation worked out by hand from the readings sent.
@Suite struct TelemetryTests {
    static let t0: Int64 = 1_795_000_000_000 // 2026-11-18, a round start for the readings
    static let minute: Int64 = 60_000

    @Test(arguments: TestBackend.available) func readingsRaiseRegradeAndClearOneAlarm(backend: TestBackend) async throws
    {
        let clock = TestClock(Self.t0 + 60 * Self.minute)
        try await withPlatform(backend, clock: clock) { platform in
            let (_, env, _) = try await setUp(platform)
            let key = telemetryKey()
            // 50 (nothing), 80 (≥ 75: blue), 120 (≥ 115: yellow), 72 (below 115 − 5 but above 75 − 5:
            // back to blue), 69 (≤ 70: cleared). Plus three bad lines among them.
            let report = try await platform.telemetry.ingest(
                [
                    reading(1, "ENV-A", 0, ["pm25": 50]), reading(2, "ENV-A", 1, ["pm25": 80]),
                    reading(3, "NOPE-1", 1, ["pm25": 80]), reading(4, "ENV-A", 2, ["pm25": 120]),
                    reading(5, "ENV-A", 2, ["radon": 3]), reading(6, "ENV-A", 3, ["pm25": 72]),
                    IncomingReading(line: 7, device: "ENV-A", at: Self.t0 + 600 * Self.minute, values: [("pm25", 1)]),
                    reading(8, "ENV-A", 4, ["pm25": 69, "pm10": 40]),
                ], by: key)
            #expect(report.accepted == 6 && report.duplicates == 0)
            #expect(report.rejected.map(\.line) == [3, 5, 7])
            #expect(report.rejected.map(\.code) == ["unknown_device", "unknown_metric", "invalid_time"])

            let alarms = try await platform.alarms.list(.init(deviceId: env.id), page: PageRequest(), by: .system).items
            #expect(alarms.count == 1)
            let alarm = try #require(alarms.first)
            #expect(alarm.ruleId == "environment.pm25" && alarm.state == .cleared && alarm.clearedBy == "auto")
            #expect(alarm.raisedAt == Self.t0 + Self.minute && alarm.clearedAt == Self.t0 + 4 * Self.minute)
            #expect(alarm.severity == .blue && alarm.value == 72)

            // The same batch again: every value a repeat, nothing judged twice.
            let again = try await platform.telemetry.ingest(
                [reading(1, "ENV-A", 1, ["pm25": 80]), reading(2, "ENV-A", 2, ["pm25": 120])], by: key)
            #expect(again.accepted == 0 && again.duplicates == 2 && again.alarms == 0)

            let latest = try await platform.devices.latest(id: env.id, by: .system)
            #expect(latest.first { $0.metric == "pm25" }?.value == 69)
            let device = try await platform.devices.device(id: env.id, by: .system)
            #expect(device.state == .online && device.lastReadingAt == Self.t0 + 4 * Self.minute)

            // Two-minute buckets from t0: [50, 80] and [120, 72], then [69].
            let series = try await platform.devices.series(
                id: env.id, metric: "pm25", from: Self.t0, to: Self.t0 + 10 * Self.minute,
                bucketSeconds: 120, by: .system)
            #expect(series.buckets.map(\.count) == [2, 2, 1])
            #expect(series.buckets.map(\.avg) == [65, 96, 69])
            #expect(series.buckets.map(\.min) == [50, 72, 69] && series.buckets.map(\.max) == [80, 120, 69])
            #expect(series.buckets.map(\.last) == [80, 72, 69])
        }
    }

    @Test(arguments: TestBackend.available) func stateSurvivesARestartAndSilenceTakesDevicesOffline(
        backend: TestBackend
    ) async throws {
        let clock = TestClock(Self.t0 + 600 * Self.minute)
        try await withPlatform(backend, clock: clock) { first in
            let (f, env, _) = try await setUp(first)
            // Noise over 70 must last five minutes before it counts.
            let admin = f.staff(.admin)
            _ = try await first.alarmRules.create(
                AlarmRuleInput(
                    name: "噪声持续超标", kindCode: "environment", deviceId: env.id,
                    condition: .threshold(.init(metric: "noise", levels: [.init(70, .orange)], forSeconds: 300))),
                by: admin)
            _ = try await first.telemetry.ingest([reading(1, "ENV-A", 0, ["noise": 75])], by: telemetryKey())

            // A new process on the same database: the pending five minutes are remembered.
            let second = Platform(pool: first.pool, settings: first.settings, now: first.now)
            _ = try await second.telemetry.ingest([reading(1, "ENV-A", 3, ["noise": 76])], by: telemetryKey())
            #expect(try await openAlarms(second, env.id).isEmpty)
            _ = try await second.telemetry.ingest([reading(1, "ENV-A", 5, ["noise": 77])], by: telemetryKey())
            let noisy = try await openAlarms(second, env.id)
            // Ours (orange) and the kind's default noise rule (≥ 70 dB(A) for five minutes: yellow).
            #expect(noisy.map(\.severity).sorted() == [.yellow, .orange])
            #expect(noisy.allSatisfy { $0.raisedAt == Self.t0 + 5 * Self.minute })

            // No data for more than three hours: offline, with an alarm; the next reading ends both.
            #expect(try await second.telemetry.checkSilence(now: Self.t0 + 185 * Self.minute) == 0)
            #expect(try await second.telemetry.checkSilence(now: Self.t0 + 186 * Self.minute) == 1)
            #expect(try await second.devices.device(id: env.id, by: .system).state == .offline)
            #expect(try await openAlarms(second, env.id).contains { $0.ruleId == "environment.offline" })
            _ = try await second.telemetry.ingest([reading(1, "ENV-A", 200, ["noise": 60])], by: telemetryKey())
            #expect(try await second.devices.device(id: env.id, by: .system).state == .online)
            #expect(try await openAlarms(second, env.id).isEmpty)
        }
    }

    @Test(arguments: TestBackend.available) func maintenanceSuppressesAndRulesOpenCases(backend: TestBackend)
        async throws
    {
        let clock = TestClock(Self.t0 + 60 * Self.minute)
        try await withPlatform(backend, clock: clock) { platform in
            let (f, env, cover) = try await setUp(platform)
            let admin = f.staff(.admin)
            // A manhole cover opening opens a case of 污水井盖 (C0102) through the machine channel.
            let opened = try await platform.alarmRules.rule(id: "manhole_cover.opened")
            _ = try await platform.alarmRules.update(
                id: opened.id,
                AlarmRuleInput(
                    name: opened.name, kindCode: "manhole_cover",
                    condition: opened.condition, matterCode: "C0102"), by: admin)
            _ = try await platform.telemetry.ingest(
                [reading(1, "MC-A", 0, ["open": 1, "tilt": 2])], by: telemetryKey())
            let alarm = try #require(try await openAlarms(platform, cover.id).first)
            #expect(alarm.severity == .red && alarm.state == .raised)
            let caseId = try #require(alarm.caseId)
            let detail = try await platform.cases.detail(id: caseId, by: .system)
            #expect(
                detail.case.source == .machine && detail.case.matterCode == "C0102"
                    && detail.case.description.contains(alarm.id))
            // Clearing the alarm leaves the case to the loop.
            _ = try await platform.telemetry.ingest([reading(1, "MC-A", 1, ["open": 0])], by: telemetryKey())
            #expect(try await openAlarms(platform, cover.id).isEmpty)
            #expect(try await platform.cases.detail(id: caseId, by: .system).case.state.isOpen)

            // Disarmed for maintenance: the alarm is recorded as suppressed, nobody is told.
            let events = try await platform.monitoring.events.subscribe(scopePath: "/")
            _ = try await platform.devices.disarm(
                id: env.id, DisarmInput(until: clock.now + 3_600_000, reason: "更换传感器"), by: admin)
            _ = try await platform.telemetry.ingest([reading(1, "ENV-A", 2, ["pm25": 300])], by: telemetryKey())
            let suppressed = try await openAlarms(platform, env.id)
            #expect(suppressed.map(\.state) == [.suppressed] && suppressed.first?.severity == .red)
            var iterator = events.makeAsyncIterator()
            let first = await iterator.next()
            guard case .device(let change) = first?.event else {
                Issue.record("expected the device event first"); return
            }
            #expect(change.state == .maintenance)
            // Acknowledged and cleared by hand.
            let acknowledged = try await platform.alarms.acknowledge(id: suppressed[0].id, note: nil, by: admin)
            #expect(acknowledged.state == .acknowledged && acknowledged.acknowledgedBy == admin.id)
            let cleared = try await platform.alarms.clear(id: suppressed[0].id, note: nil, by: admin)
            #expect(cleared.state == .cleared && cleared.clearedBy == admin.id)
            await #expect(throws: DomainError.self) {
                try await platform.alarms.clear(id: suppressed[0].id, note: nil, by: admin)
            }
        }
    }

    /// Another process (another node) acknowledges an alarm this one's memory holds as raised; the
    /// next reading regrades it here. The regrade must not put the alarm back to raised: its write
    /// finds the stored version changed, and the turn is taken again on what is stored.
    @Test(arguments: TestBackend.available) func aRegradeKeepsAnAcknowledgementMadeElsewhere(backend: TestBackend)
        async throws
    {
        let clock = TestClock(Self.t0 + 60 * Self.minute)
        try await withPlatform(backend, clock: clock) { judging in
            let (f, env, _) = try await setUp(judging)
            _ = try await judging.telemetry.ingest([reading(1, "ENV-A", 0, ["pm25": 80])], by: telemetryKey())
            let raised = try #require(try await openAlarms(judging, env.id).first)
            #expect(raised.state == .raised && raised.severity == .blue)

            // All in one millisecond: the versions must still differ.
            let elsewhere = Platform(pool: judging.pool, settings: judging.settings, now: judging.now)
            _ = try await elsewhere.alarms.acknowledge(id: raised.id, note: nil, by: f.staff(.admin))

            let report = try await judging.telemetry.ingest([reading(1, "ENV-A", 1, ["pm25": 120])], by: telemetryKey())
            #expect(report.accepted == 1 && report.alarms == 1)
            let alarm = try await judging.alarms.alarm(id: raised.id, by: .system)
            #expect(alarm.state == .acknowledged && alarm.acknowledgedBy == f.staff(.admin).id)
            #expect(alarm.severity == .yellow && alarm.value == 120)
            #expect(try await openAlarms(judging, env.id).count == 1)

            // And the other way: the engine clears it while the other process still shows it open.
            clock.set(clock.now + 1_000)
            _ = try await judging.telemetry.ingest([reading(1, "ENV-A", 2, ["pm25": 20])], by: telemetryKey())
            await #expect(throws: DomainError.self) {
                try await elsewhere.alarms.clear(id: raised.id, note: nil, by: f.staff(.admin))
            }
            #expect(try await judging.alarms.alarm(id: raised.id, by: .system).clearedBy == "auto")
        }
    }

    // MARK: Steps

    private func setUp(_ platform: Platform) async throws -> (CaseFixture, Device, Device) {
        let f = try await CaseFixture.make(platform)
        let (a, _) = (CaseFixture.pointA, CaseFixture.pointB)
        let env = try await platform.devices.register(
            NewDevice(
                code: "ENV-A", kindCode: "environment", name: "平江环境站",
                lon: a.lon, lat: a.lat), by: .system)
        let cover = try await platform.devices.register(
            NewDevice(
                code: "MC-A", kindCode: "manhole_cover", name: "平江井盖",
                componentCode: "3205080102000001", lon: a.lon + 0.0003, lat: a.lat),
            by: .system)
        return (f, env, cover)
    }

    private func telemetryKey() -> Principal {
        Principal(
            kind: .key, id: "key-gateway", name: "gateway", keyScopes: [.telemetryWrite],
            scope: AreaScope(areaId: "", path: "/"))
    }

    private func reading(_ line: Int, _ device: String, _ minute: Int64, _ values: KeyValuePairs<String, Double>)
        -> IncomingReading
    {
        IncomingReading(
            line: line, device: device, at: Self.t0 + minute * Self.minute, values: values.map { ($0.key, $0.value) })
    }

    private func openAlarms(_ platform: Platform, _ deviceId: String) async throws -> [Alarm] {
        try await platform.alarms.list(.init(open: true, deviceId: deviceId), page: PageRequest(), by: .system).items
    }
}
