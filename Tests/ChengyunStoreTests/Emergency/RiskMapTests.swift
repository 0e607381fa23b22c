import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// The four-colour risk map over a real store: a hazard source colours its cell at once, a case
/// of a linked matter followed by the risk clock raises it, a graver hazard turns it red (with a
/// warning), the case going away settles it; every change is kept; from scratch changes nothing.
@Suite struct RiskMapTests {
    @Test(arguments: TestBackend.available) func aCellIsColouredByItsHazardsAlarmsAndCases(backend: TestBackend)
        async throws
    {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let risk = platform.risk
            let admin = f.staff(.admin)
            #expect(
                try await risk.categories().map(\.code) == [
                    "fire_safety", "flood", "forest_fire", "gas", "work_safety",
                ])
            #expect(try await risk.map(category: "gas", by: admin).isEmpty, "every cell starts blue")

            // A gas station (较大, orange): hazard_max 3 alone is 一般, yellow.
            let station = try await risk.addHazard(
                NewHazardSource(
                    code: "HZ-1", name: "人民路加油站", category: "gas", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat, inherentLevel: .orange), by: admin)
            #expect(station.gridCellId == f.cellA.id && station.areaPath == f.cellA.areaPath)
            var map = try await risk.map(category: "gas", by: admin)
            #expect(map.map(\.level) == [.yellow] && map[0].facts == RiskFacts(hazards: 1, hazardMax: 3))

            // A burst gas pipe is reported there; the risk clock follows the case: orange.
            let since = platform.now()
            clock.advance(minutes: 1)
            let gasMatter = try #require(try await platform.matters.all().first { $0.code == "E0403" })
            _ = try await platform.cases.report(
                NewReport(
                    matterId: gasMatter.id, description: "燃气管道破裂", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat), by: f.staff(.inspector, in: f.streetA))
            let followed = try await risk.follow(since: since)
            #expect(followed.cells == 1, "only the cell the case touched is judged")
            #expect(followed.changes.map(\.to) == [.orange])

            // A chemical store (重大, red) beside it: 4 with a case open — red, and a warning.
            clock.advance(minutes: 1)
            _ = try await risk.addHazard(
                NewHazardSource(
                    code: "HZ-2", name: "化工仓库", category: "gas", lon: CaseFixture.pointA.lon + 0.0001,
                    lat: CaseFixture.pointA.lat, inherentLevel: .red), by: admin)
            map = try await risk.map(category: "gas", by: admin)
            #expect(map.map(\.level) == [.red] && map[0].facts == RiskFacts(hazards: 2, hazardMax: 4, cases: 1))
            let supervision = SupervisionService(platform: platform)
            var warnings = try await supervision.warnings(openOnly: true, by: admin).filter { $0.kind == .riskCell }
            #expect(warnings.map(\.key) == ["risk:\(f.cellA.id):gas"] && warnings[0].targetId == f.cellA.id)

            // From scratch: nothing changes.
            #expect(try await risk.recomputeAll().changes.isEmpty)

            // The case is cancelled: red and orange both need an alarm or a case, so hazard_max 4 alone is
            // yellow, and the warning settles.
            clock.advance(minutes: 1)
            let cancelledAt = platform.now()
            try await platform.pool.transaction { db in
                try await db.raw(
                    "UPDATE cases SET state = 'cancelled', updated_at = \(bind: cancelledAt) WHERE grid_cell_id = \(bind: f.cellA.id)"
                ).run()
            }
            #expect(try await risk.follow(since: cancelledAt - 1).changes.map(\.to) == [.yellow])
            warnings = try await supervision.warnings(openOnly: true, by: admin).filter { $0.kind == .riskCell }
            #expect(warnings.isEmpty, "leaving red settles the warning")
            #expect(try await risk.changes(cell: f.cellA.id, by: admin).map(\.to) == [.yellow, .red, .orange, .yellow])

            // Refused: an unknown category, a position in no cell, another street's cell for a street admin.
            await expectIssues(["category"]) {
                try await risk.addHazard(
                    NewHazardSource(
                        code: "HZ-3", name: "x", category: "volcano", lon: 120.6005, lat: 31.3004, inherentLevel: .red),
                    by: admin)
            }
            await expectIssues(["lon"]) {
                try await risk.addHazard(
                    NewHazardSource(code: "HZ-4", name: "x", category: "gas", lon: 100, lat: 20, inherentLevel: .red),
                    by: admin)
            }
            await #expect(throws: DomainError.self) {
                try await risk.addHazard(
                    NewHazardSource(
                        code: "HZ-5", name: "x", category: "gas", lon: CaseFixture.pointA.lon,
                        lat: CaseFixture.pointA.lat,
                        inherentLevel: .red), by: f.staff(.admin, in: f.streetB))
            }
            #expect(try await risk.map(category: "gas", by: f.staff(.admin, in: f.streetB)).isEmpty)
        }
    }
}
