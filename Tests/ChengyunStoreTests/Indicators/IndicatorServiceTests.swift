import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// City vital signs over a real store: the shipped tree computed from cases, telemetry and an
/// imported figure (each value worked out by hand), kept as history, and forecast from it.
@Suite struct IndicatorServiceTests {
    @Test func theShippedTreeChecksOut() throws {
        let tree = try IndicatorService.defaultTree()
        let checked = try IndicatorTree(tree)
        #expect(
            Set(tree.filter { $0.parentCode == "city" }.map(\.code)) == [
                "city.clean", "city.tidy", "city.order", "city.safe", "city.satisfied",
            ])
        #expect(checked.order.count == tree.count)
    }

    @Test(arguments: TestBackend.available) func theTreeIsComputedFromCasesTelemetryAndImportedFigures(
        backend: TestBackend
    ) async throws {
        // Monday 2026-11-23, 15:00 in Suzhou.
        let clock = TestClock(Instant.parse("2026-11-23T15:00:00+08:00")!)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let admin = f.staff(.admin), inspector = f.staff(.inspector, in: f.streetA)
            // The built-up area: 20 km², put in this month.
            let imported = try await platform.indicators.importValues(
                code: "base.area_km2", [.init(areaId: f.city.id, at: clock.now, value: 20)], by: admin)
            #expect(imported.first?.periodStart == Instant.parse("2026-11-01T00:00:00+08:00")!)
            // Today: three exposed-garbage reports a few tens of metres apart (not duplicates of each other).
            for index in 0..<3 {
                _ = try await platform.cases.report(
                    NewReport(
                        matterId: f.garbage.id, description: "暴露垃圾 \(index)",
                        lon: CaseFixture.pointA.lon + Double(index) * 0.0009, lat: CaseFixture.pointA.lat),
                    by: inspector)
            }
            // PM2.5 today at one station: 60 and 100 → a daily mean of 80.
            _ = try await platform.devices.register(
                NewDevice(
                    code: "ENV-A", kindCode: "environment", name: "平江环境站",
                    lon: CaseFixture.pointA.lon, lat: CaseFixture.pointA.lat), by: .system)
            let key = Principal(
                kind: .key, id: "key-gateway", name: "gateway", keyScopes: [.telemetryWrite],
                scope: AreaScope(areaId: "", path: "/"))
            _ = try await platform.telemetry.ingest(
                [
                    IncomingReading(
                        line: 1, device: "ENV-A", at: Instant.parse("2026-11-23T09:00:00+08:00")!,
                        values: [("pm25", 60)]),
                    IncomingReading(
                        line: 2, device: "ENV-A", at: Instant.parse("2026-11-23T10:00:00+08:00")!,
                        values: [("pm25", 100)]),
                ], by: key)

            let report = try await platform.indicators.compute(areaId: nil, record: true, by: f.staff(.leader))
            let reading = Dictionary(uniqueKeysWithValues: report.readings.map { ($0.indicator.code, $0) })
            #expect(report.areaId == f.city.id)
            #expect(reading["city.clean.garbage"]?.value == 3)
            // 3 reports over 20 km² → 1.5 per 10 km²: orange starts at 2, yellow at 1.
            #expect(
                reading["city.clean.garbage_density"]?.value == 1.5
                    && reading["city.clean.garbage_density"]?.colour == .yellow)
            #expect(reading["city.clean.pm25"]?.value == 80 && reading["city.clean.pm25"]?.colour == .yellow)
            // 100 − 2 × 1.5 − 0.2 × (80 − 35) = 88: above 85, where yellow starts.
            #expect(reading["city.clean"]?.value == 88 && reading["city.clean"]?.colour == nil)
            #expect(reading["city.clean.garbage"]?.periodStart == Instant.parse("2026-11-23T00:00:00+08:00")!)
            #expect(reading["base.area_km2"]?.value == 20 && reading["base.population"]?.value == nil)

            // The recorded figures past their thresholds warn, one warning per indicator and area.
            let warned = try await platform.supervision.warnings(openOnly: true, by: f.staff(.leader)).filter {
                $0.kind == .indicator
            }
            #expect(
                Set(warned.map(\.targetId)) == ["city.clean.garbage_density", "city.clean.pm25"]
                    && warned.allSatisfy { $0.level == .yellow })
            _ = try await platform.indicators.compute(areaId: nil, record: true, by: f.staff(.leader))
            #expect(
                try await platform.supervision.warnings(openOnly: true, by: f.staff(.leader)).filter {
                    $0.kind == .indicator
                }.count == 2,
                "computing again raises nothing twice")
            let history = try await platform.indicators.history(
                code: "city.clean.pm25", areaId: f.city.id, by: f.staff(.leader))
            #expect(history.map(\.value) == [80] && history.first?.source == "computed")
            // A street's inspector may not read the city's figures.
            await #expect(throws: DomainError.self) {
                try await platform.indicators.history(code: "city", areaId: f.city.id, by: inspector)
            }
            // Only imported indicators take figures.
            await #expect(throws: DomainError.self) {
                try await platform.indicators.importValues(
                    code: "city.clean", [.init(areaId: f.city.id, at: clock.now, value: 1)], by: admin)
            }
        }
    }

    @Test(arguments: TestBackend.available) func aWarningReachingAnIndicatorsCaseRuleOpensOneCase(backend: TestBackend)
        async throws
    {
        let clock = TestClock(Instant.parse("2026-11-23T15:00:00+08:00")!)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let admin = f.staff(.admin)
            // PM2.5 from yellow up opens a construction-dust case (E0302) to go and look.
            var tree = try IndicatorService.defaultTree()
            let pm25 = try #require(tree.firstIndex { $0.code == "city.clean.pm25" })
            tree[pm25].caseRule = Indicator.CaseRule(matterCode: "E9999", level: .yellow)
            await expectIssues(["[\(pm25)].caseRule.matterCode"]) {
                try await platform.indicators.setTree(tree, by: admin)
            }
            tree[pm25].caseRule = Indicator.CaseRule(matterCode: "E0302", level: .yellow)
            _ = try await platform.indicators.setTree(tree, by: admin)
            _ = try await platform.devices.register(
                NewDevice(
                    code: "ENV-A", kindCode: "environment", name: "平江环境站",
                    lon: CaseFixture.pointA.lon, lat: CaseFixture.pointA.lat), by: .system)
            let key = Principal(
                kind: .key, id: "key-gateway", name: "gateway", keyScopes: [.telemetryWrite],
                scope: AreaScope(areaId: "", path: "/"))
            _ = try await platform.telemetry.ingest(
                [
                    IncomingReading(
                        line: 1, device: "ENV-A", at: Instant.parse("2026-11-23T09:00:00+08:00")!,
                        values: [("pm25", 80)])
                ], by: key)

            _ = try await platform.indicators.compute(areaId: nil, record: true, by: f.staff(.leader))
            _ = try await platform.indicators.compute(areaId: nil, record: true, by: f.staff(.leader))
            let warning = try #require(
                try await platform.supervision.warnings(openOnly: true, by: f.staff(.leader)).first {
                    $0.targetId == "city.clean.pm25"
                })
            let caseId = try #require(warning.caseId, "\(warning.detail)")
            let opened = try await platform.cases.detail(id: caseId, by: f.staff(.leader)).case
            #expect(
                opened.source == .machine && opened.matterCode == "E0302" && opened.description.contains(warning.id))
            #expect([f.cellA.id, f.cellB.id].contains(opened.gridCellId ?? ""))
            let cases = try await platform.pool.read { try await $0.select().column("id").from("cases").all() }
            #expect(cases.count == 1, "computing again opens no second case")
        }
    }

    @Test(arguments: TestBackend.available) func aForecastComesWithItsBacktest(backend: TestBackend) async throws {
        let clock = TestClock(Instant.parse("2026-11-23T15:00:00+08:00")!)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let admin = f.staff(.admin)
            // A daily figure with a weekly rhythm: busy Mondays, quiet weekends, over ten weeks.
            let tree = [Indicator(code: "calls", name: "12345 来电", unit: "件", period: .day, source: .imported)]
            _ = try await platform.indicators.setTree(tree, by: admin)
            let pattern: [Double] = [130, 110, 105, 100, 95, 60, 50]
            let day: Int64 = 86_400_000
            let start = Instant.parse("2026-09-14T12:00:00+08:00")! // a Monday
            _ = try await platform.indicators.importValues(
                code: "calls",
                (0..<70).map { index in
                    .init(
                        areaId: f.city.id, at: start + Int64(index) * day, value: pattern[index % 7] + Double(index % 3)
                    )
                }, by: admin)
            let forecast = try await platform.indicators.forecast(
                code: "calls", areaId: f.city.id, horizon: 7, by: admin)
            #expect(forecast.history.count == 70 && forecast.points.count == 7)
            // The day after the history (Monday 2026-11-23) is a busy Monday again.
            #expect(forecast.points.first?.periodStart == Instant.parse("2026-11-23T00:00:00+08:00")!)
            let monday = try #require(forecast.points.first?.value)
            #expect(abs(monday - 131) < 6, "Monday \(monday)")
            let test = try #require(forecast.backtest)
            #expect(try #require(test.mape) < 5 && test.mae < test.naiveMae + 0.01, "\(test)")
            // A tree with a loop is refused, and the old tree stays.
            await #expect(throws: DomainError.self) {
                try await platform.indicators.setTree(
                    [Indicator(code: "a", name: "a", source: .formula("a + 1"))], by: admin)
            }
            #expect(try await platform.indicators.tree() == tree)
        }
    }
}

/// Case volume per major category, counted per local day in the caller's area and forecast.
@Suite struct CaseVolumeForecastTests {
    @Test(arguments: TestBackend.available) func sixWeeksOfReportsAreCountedAndForecast(backend: TestBackend)
        async throws
    {
        // Six weeks from Monday 2026-10-12: four exposed-garbage reports each weekday, one a weekend day.
        let start = Instant.parse("2026-10-12T10:00:00+08:00")!
        let clock = TestClock(start)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let inspector = f.staff(.inspector, in: f.streetA)
            for day in 0..<42 {
                for index in 0..<(day % 7 < 5 ? 4 : 1) {
                    clock.set(start + Int64(day) * 86_400_000 + Int64(index) * 60_000)
                    _ = try await platform.cases.report(
                        NewReport(
                            matterId: f.garbage.id, description: "暴露垃圾",
                            lon: CaseFixture.pointA.lon + Double(index) * 0.0007, lat: CaseFixture.pointA.lat),
                        by: inspector)
                }
            }
            clock.set(Instant.parse("2026-11-23T09:00:00+08:00")!) // the Monday after
            let forecast = try await platform.indicators.caseVolume(
                category: "E01", days: 42, horizon: 7, by: f.staff(.leader))
            #expect(
                forecast.history.count == 42 && forecast.history.first?.day == "2026-10-12"
                    && forecast.history.last?.day == "2026-11-22")
            let total: Double = forecast.history.map(\.count).reduce(0, +)
            #expect(total == 132, "six weeks of 5 × 4 + 2 reports")
            #expect(forecast.points.first?.day == "2026-11-23" && forecast.points.count == 7)
            let monday = try #require(forecast.points.first?.value),
                saturday = try #require(forecast.points.dropFirst(5).first?.value)
            #expect(abs(monday - 4) < 0.5 && abs(saturday - 1) < 0.5, "\(forecast.points)")
            #expect(try #require(forecast.backtest?.mape) < 5)
            // Another street sees none of them; a made-up category is refused.
            let other = try await platform.indicators.caseVolume(
                category: "E01", days: 42, horizon: 7, by: f.staff(.leader, in: f.streetB))
            #expect(other.history.allSatisfy { $0.count == 0 })
            await #expect(throws: DomainError.self) {
                try await platform.indicators.caseVolume(category: "X9", days: 42, horizon: 7, by: f.staff(.leader))
            }
        }
    }
}
