import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// The comprehensive evaluation over a real store: two streets scored by the standard scheme from
/// the indicator tree, ranked, and a scheme naming an unknown indicator refused.
@Suite struct ComprehensiveEvaluationTests {
    @Test(arguments: TestBackend.available) func streetsAreScoredAndRanked(backend: TestBackend) async throws {
        let clock = TestClock(Instant.parse("2026-11-23T15:00:00+08:00")!)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let admin = f.staff(.admin)
            _ = try await platform.indicators.importValues(
                code: "base.area_km2",
                [
                    .init(areaId: f.streetA.id, at: clock.now, value: 10),
                    .init(areaId: f.streetB.id, at: clock.now, value: 10),
                ], by: admin)
            for index in 0..<3 {
                _ = try await platform.cases.report(
                    NewReport(
                        matterId: f.garbage.id, description: "暴露垃圾 \(index)",
                        lon: CaseFixture.pointA.lon + Double(index) * 0.0009, lat: CaseFixture.pointA.lat),
                    by: f.staff(.inspector, in: f.streetA))
            }
            let report = try await platform.comprehensive.evaluate(areaId: f.district.id, at: nil, by: f.staff(.leader))
            // Street A: clean = 100 − 2 × (3 / 10 km² × 10) = 94; tidy, orderly and safe 100; no ratings
            // or closings yet, so "people satisfied" has no value: (94 + 100 + 100 + 100) / 4 = 98.5.
            #expect(report.rows.map(\.name) == ["沧浪街道", "平江街道"])
            #expect(report.rows.map(\.score) == [100, 98.5] && report.rows.map(\.rank) == [1, 2])
            #expect(
                report.rows.last?.values["city.clean"] == .some(94)
                    && report.rows.last?.values["city.satisfied"] == .some(nil))

            await #expect(throws: DomainError.self) {
                try await platform.comprehensive.setScheme(
                    EvaluationScheme(items: [.init(indicatorCode: "nope", weight: 1)]), by: admin)
            }
            let cleanOnly = try await platform.comprehensive.setScheme(
                EvaluationScheme(items: [.init(indicatorCode: "city.clean", weight: 1)]), by: admin)
            #expect(
                try await platform.comprehensive.evaluate(areaId: f.district.id, at: nil, by: f.staff(.leader)).rows
                    .map(\.score) == [100, 94])
            #expect(try await platform.comprehensive.scheme() == cleanOnly)
            // Kept history scores over time: record today for street A, read the trend.
            _ = try await platform.indicators.compute(areaId: f.streetA.id, record: true, by: admin)
            let trend = try await platform.comprehensive.trend(areaId: f.streetA.id, limit: 30, by: f.staff(.leader))
            #expect(trend.map(\.score) == [94])
        }
    }
}
