import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

@Suite struct CockpitTests {
    @Test(arguments: TestBackend.available) func figuresCountWhatIsOpenOverdueAndReportedToday(backend: TestBackend)
        async throws
    {
        // Monday 2026-11-23, 10:00 in Suzhou.
        let clock = TestClock(Instant.parse("2026-11-23T10:00:00+08:00")!)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let inspectorA = f.staff(.inspector, in: f.streetA)
            // Yesterday: one report in cell B (a Sunday; it is still in the 30 days).
            clock.set(Instant.parse("2026-11-22T18:00:00+08:00")!)
            let old = try await platform.cases.report(
                NewReport(
                    matterId: f.garbage.id, description: "昨天的垃圾", lon: CaseFixture.pointB.lon,
                    lat: CaseFixture.pointB.lat), by: f.staff(.inspector, in: f.streetB)
            ).case
            clock.set(Instant.parse("2026-11-23T10:00:00+08:00")!)
            let garbage = try await platform.cases.report(
                NewReport(
                    matterId: f.garbage.id, description: "暴露垃圾", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat), by: inspectorA
            ).case
            let road = try await platform.cases.report(
                NewReport(
                    matterId: f.dirtyRoad.id, description: "道路不洁",
                    lon: CaseFixture.pointA.lon + 0.001, lat: CaseFixture.pointA.lat), by: inspectorA
            ).case
            _ = try await platform.cases.act(
                caseId: road.id, CaseActionInput(.cancel, note: "误报"), by: f.staff(.supervisor))

            var summary = try await platform.cockpit.summary(by: f.staff(.leader))
            // Yesterday evening's report waited for filing through this morning's working hour: overdue.
            #expect(try #require(old.stageDeadline) < clock.now && garbage.stageDeadline ?? 0 > clock.now)
            #expect(
                Set(summary.cells.map { "\($0.gridCellId):\($0.open):\($0.overdue)" }) == [
                    "\(f.cellA.id):1:0", "\(f.cellB.id):1:1",
                ])
            #expect(summary.today == .init(reported: 2, filed: 0, closed: 0), "yesterday's report is not today's")
            #expect(
                summary.casesPerDay == [
                    .init(day: "2026-11-22", category: "E01", count: 1),
                    .init(day: "2026-11-23", category: "E01", count: 2),
                ])
            #expect(Set(summary.markers.map(\.id)) == [garbage.id, old.id], "the cancelled case is off the map")
            #expect(summary.onTimeClosingRate == nil)

            // A week later both are past their filing limit (inspector reports wait to be filed).
            clock.advance(minutes: 7 * 24 * 60)
            summary = try await platform.cockpit.summary(by: f.staff(.leader))
            #expect(summary.cells.map(\.overdue).reduce(0, +) == 2 && summary.markers.allSatisfy(\.overdue))
            #expect(summary.today == .init(reported: 0, filed: 0, closed: 0))
            // A street's inspector sees only the street.
            let street = try await platform.cockpit.summary(by: inspectorA)
            #expect(street.cells.map(\.gridCellId) == [f.cellA.id] && street.markers.map(\.id) == [garbage.id])
        }
    }

    @Test(arguments: TestBackend.available) func alarmsPerHourCountRaisedAlarmsInTheLastDay(backend: TestBackend)
        async throws
    {
        // Monday 2026-11-23, 10:20 in Suzhou.
        let clock = TestClock(Instant.parse("2026-11-23T10:20:00+08:00")!)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let a = CaseFixture.pointA
            _ = try await platform.devices.register(
                NewDevice(
                    code: "MC-A", kindCode: "manhole_cover", name: "平江井盖",
                    componentCode: "3205080102000001", lon: a.lon, lat: a.lat), by: .system)
            let key = Principal(
                kind: .key, id: "key-gateway", name: "gateway", keyScopes: [.telemetryWrite],
                scope: AreaScope(areaId: "", path: "/"))
            func at(_ time: String) -> Int64 { Instant.parse("2026-11-23T\(time):00+08:00")! }
            // Opened 08:10 (red), closed 08:20 (cleared: still raised in the 08:00 hour), tilted 09:05
            // (yellow) and opened again 09:40 (red), then 10:15 tilted harder: the tilt alarm is regraded
            // to red, not raised again, so it stays in the 09:00 hour and counts with its severity now.
            // Yesterday 09:30 is outside the 24 hours.
            let lines: [(Int64, String, Double)] = [
                (Instant.parse("2026-11-22T09:30:00+08:00")!, "open", 1),
                (Instant.parse("2026-11-22T09:40:00+08:00")!, "open", 0),
                (at("08:10"), "open", 1), (at("08:20"), "open", 0), (at("09:05"), "tilt", 12), (at("09:40"), "open", 1),
                (at("10:15"), "tilt", 35),
            ]
            let report = try await platform.telemetry.ingest(
                lines.enumerated().map { index, line in
                    IncomingReading(line: index + 1, device: "MC-A", at: line.0, values: [(line.1, line.2)])
                }, by: key)
            #expect(report.accepted == lines.count)

            let hours = try await platform.cockpit.summary(by: f.staff(.leader)).alarmsPerHour
            #expect(hours.count == 24)
            #expect(hours.first?.hour == Instant.parse("2026-11-22T11:00:00+08:00")! && hours.last?.hour == at("10:00"))
            let counted = hours.filter { !$0.bySeverity.isEmpty }
            #expect(
                counted == [
                    .init(hour: at("08:00"), bySeverity: ["red": 1]), .init(hour: at("09:00"), bySeverity: ["red": 2]),
                ])
            // An inspector of the other street sees none of them.
            let other = try await platform.cockpit.summary(by: f.staff(.inspector, in: f.streetB)).alarmsPerHour
            #expect(other.allSatisfy { $0.bySeverity.isEmpty })
        }
    }
}
