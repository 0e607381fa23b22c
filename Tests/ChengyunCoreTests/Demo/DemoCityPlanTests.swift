import ChengyunCore
import Testing

@Suite struct DemoCityPlanTests {
    let plan = DemoCityPlan()

    @Test func theCityHasTheIssuesShape() {
        let count = { (level: AreaLevel) in plan.areas.filter { $0.level == level }.count }
        #expect(count(.city) == 1)
        #expect(count(.district) == 3)
        #expect(count(.street) == 12)
        #expect(count(.community) == 40)
        #expect(plan.cells.count == 420)
        #expect(plan.departments.count == 23)
    }

    @Test func everyCodeIsValidAndUnique() {
        let codes = plan.areas.map(\.code) + plan.cells.map(\.code)
        #expect(Set(codes).count == codes.count)
        let byCode = Dictionary(uniqueKeysWithValues: plan.areas.map { ($0.code, $0) })
        for area in plan.areas {
            let parent = area.parentCode.flatMap { byCode[$0] }
            let issues = AreaCode.issues(
                code: area.code, level: area.level, parentCode: parent?.code,
                parentLevel: parent?.level)
            #expect(issues.isEmpty, "\(area.code)")
        }
        for cell in plan.cells {
            #expect(GridCellCode(cell.code)?.communityCode == cell.communityCode)
        }
    }

    @Test func cellsAreAboutTenThousandSquareMetres() {
        for cell in plan.cells {
            #expect((6_000...14_000).contains(cell.polygon.areaSquareMetres), "\(cell.code)")
        }
    }

    /// Property: the cells tile the city — every point in the city's footprint lies in exactly
    /// one cell (the jittered lattice shares every edge between neighbours).
    @Test func cellsTileTheCityWithoutGapsOrOverlaps() {
        var rng = SplitMix64(seed: 2026)
        // Sample inside the un-jittered interior of the lattice, away from the outer boundary.
        let columns = 30.0, rows = 14.0
        for _ in 0..<3000 {
            let column = 0.5 + Double(rng.next() % 1_000_000) / 1_000_000 * (columns - 1)
            let row = 0.5 + Double(rng.next() % 1_000_000) / 1_000_000 * (rows - 1)
            let point = GeoPoint(lon: 120.560 + column * 0.00105, lat: 31.275 + row * 0.0009)
            let holders = plan.cells.filter { $0.polygon.contains(point) }
            #expect(holders.count == 1, "\(point) lies in \(holders.count) cells")
        }
    }
}
