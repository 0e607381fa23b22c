import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Raw readings folded into hourly rollups past their retention (series answers stay the same
/// by the hour), a muck truck's track judged against a disposal site, and a rule narrowed to one
/// street.
@Suite struct RetentionAndGeofenceTests {
    static let day: Int64 = 86_400_000
    static let hour: Int64 = 3_600_000

    @Test(arguments: TestBackend.available) func oldReadingsBecomeHourlyRollups(backend: TestBackend) async throws {
        var settings = testSettings()
        settings.telemetry.rawRetentionDays = 2
        let now: Int64 = 1_795_000_000_000 / Self.hour * Self.hour
        try await withPlatform(backend, clock: TestClock(now), settings: settings) { platform in
            let f = try await CaseFixture.make(platform)
            _ = f
            let a = CaseFixture.pointA
            let env = try await platform.devices.register(
                NewDevice(code: "ENV-R", kindCode: "environment", name: "站", lon: a.lon, lat: a.lat), by: .system)
            // Ten days back: four readings an hour (10, 20, 30, 40 + the hour's number) for six hours.
            let start = now - 10 * Self.day
            var batch: [IncomingReading] = []
            for h in 0..<6 {
                for q in 0..<4 {
                    batch.append(
                        IncomingReading(
                            line: batch.count + 1, device: "ENV-R",
                            at: start + Int64(h) * Self.hour + Int64(q) * 900_000,
                            values: [("noise", Double(10 * (q + 1) + h))]))
                }
            }
            // And one recent reading, kept raw.
            batch.append(
                IncomingReading(line: batch.count + 1, device: "ENV-R", at: now - Self.hour, values: [("noise", 55)]))
            #expect(try await platform.telemetry.ingest(batch, by: .system).accepted == 25)
            let before = try await platform.devices.series(
                id: env.id, metric: "noise", from: start, to: now, bucketSeconds: 3 * 3600, by: .system)

            #expect(try await platform.telemetry.applyRetention() == 24)
            let raw = try await platform.telemetry.storedReadings().all
            let hourly = try await platform.pool.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM reading_hourly").first()?.decode(column: "n", as: Int.self)
            }
            #expect(raw == 1 && hourly == 6)
            let after = try await platform.devices.series(
                id: env.id, metric: "noise", from: start, to: now, bucketSeconds: 3 * 3600, by: .system)
            #expect(after == before)
            // Hours 0–2: values 10…42 → min 10, max 42, 12 readings, avg (100 + 4·3) / 4… = 26; last 42.
            let first = try #require(after.buckets.first)
            #expect(first.count == 12 && first.min == 10 && first.max == 42 && first.avg == 26 && first.last == 42)
            #expect(try await platform.telemetry.applyRetention() == 0)
            // The latest value comes from what is left raw.
            #expect(
                try await platform.devices.latest(id: env.id, by: .system).first { $0.metric == "noise" }?.value == 55)
        }
    }

    @Test(arguments: TestBackend.available) func aTruckStoppingOutsideTheSiteAndAStreetRule(backend: TestBackend)
        async throws
    {
        let now: Int64 = 1_795_000_000_000
        try await withPlatform(backend, clock: TestClock(now)) { platform in
            let f = try await CaseFixture.make(platform)
            let (a, b) = (CaseFixture.pointA, CaseFixture.pointB)
            let truck = try await platform.devices.register(
                NewDevice(code: "TRUCK-1", kindCode: "muck_truck", name: "苏E12345", lon: a.lon, lat: a.lat), by: .system
            )
            let site = try GeoPolygon(rings: [
                [
                    GeoPoint(lon: 120.60, lat: 31.30), GeoPoint(lon: 120.602, lat: 31.30),
                    GeoPoint(lon: 120.602, lat: 31.3009),
                    GeoPoint(lon: 120.60, lat: 31.3009),
                ]
            ])
            let admin = f.staff(.admin)
            let dumping = try await platform.alarmRules.create(
                AlarmRuleInput(
                    name: "消纳场外停车卸土", kindCode: "muck_truck",
                    condition: .geofence(.init(zones: [site], alarmWhen: .outside, stoppedOnly: true, minutes: 5)),
                    severity: .orange), by: admin)
            func at(_ minute: Int64, _ point: GeoPoint, speed: Double) -> IncomingReading {
                IncomingReading(
                    line: 1, device: "TRUCK-1", at: now - 60 * 60_000 + minute * 60_000,
                    values: [("speed", speed), ("covered", 1)],
                    lon: point.lon, lat: point.lat)
            }
            // Stopped inside the site (fine), then stopped outside it for six minutes.
            for reading in [
                at(0, GeoPoint(lon: 120.601, lat: 31.3004), speed: 0),
                at(10, GeoPoint(lon: 120.601, lat: 31.3004), speed: 0),
                at(12, b, speed: 30), at(14, b, speed: 0), at(17, b, speed: 0), at(20, b, speed: 0),
            ] {
                _ = try await platform.telemetry.ingest([reading], by: .system)
            }
            let alarms = try await platform.alarms.list(
                .init(open: true, deviceId: truck.id), page: PageRequest(), by: .system
            ).items
            #expect(alarms.map(\.ruleId) == [dumping.id])
            #expect(alarms.first?.raisedAt == now - 60 * 60_000 + 20 * 60_000)
            // The track is stored, and the truck is where it was last seen.
            let moved = try await platform.devices.device(id: truck.id, by: .system)
            #expect(moved.lon == b.lon && moved.lat == b.lat)
            #expect(try await platform.devices.latest(id: truck.id, by: .system).map(\.metric).contains("lon"))

            // A rule for 沧浪 only: the 平江 station's reading does not raise it.
            _ = try await platform.devices.register(
                NewDevice(code: "ENV-A", kindCode: "environment", name: "平江", lon: a.lon, lat: a.lat), by: .system)
            _ = try await platform.devices.register(
                NewDevice(code: "ENV-B", kindCode: "environment", name: "沧浪", lon: b.lon, lat: b.lat), by: .system)
            let street = try await platform.alarmRules.create(
                AlarmRuleInput(
                    name: "沧浪 SO2", kindCode: "environment", areaId: f.streetB.id,
                    condition: .threshold(.init(metric: "so2", levels: [.init(50, .yellow)])), severity: .yellow),
                by: admin)
            _ = try await platform.telemetry.ingest(
                [
                    IncomingReading(line: 1, device: "ENV-A", at: now - 1000, values: [("so2", 80)]),
                    IncomingReading(line: 2, device: "ENV-B", at: now - 1000, values: [("so2", 80)]),
                ], by: .system)
            let streetAlarms = try await platform.alarms.list(
                .init(ruleId: street.id), page: PageRequest(), by: .system
            ).items
            #expect(streetAlarms.map(\.deviceCode) == ["ENV-B"])
        }
    }
}
