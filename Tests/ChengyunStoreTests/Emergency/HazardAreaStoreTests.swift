import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// A hazard source spread over an area lies in every cell its polygon overlaps: a forest drawn
/// over two streets' cells colours both at once, and is read back with its area.
@Suite struct HazardAreaStoreTests {
    @Test(arguments: TestBackend.available) func aForestColoursEveryCellItSpreadsOver(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let admin = f.staff(.admin)
            let (a, b) = (f.cellA.geometry.boundingBox, f.cellB.geometry.boundingBox)
            let forest = try GeoPolygon(rings: [
                [
                    GeoPoint(lon: min(a.minLon, b.minLon) + 0.0001, lat: min(a.minLat, b.minLat) + 0.0001),
                    GeoPoint(lon: max(a.maxLon, b.maxLon) - 0.0001, lat: min(a.minLat, b.minLat) + 0.0001),
                    GeoPoint(lon: max(a.maxLon, b.maxLon) - 0.0001, lat: max(a.maxLat, b.maxLat) - 0.0001),
                    GeoPoint(lon: min(a.minLon, b.minLon) + 0.0001, lat: max(a.maxLat, b.maxLat) - 0.0001),
                ]
            ])
            let hazard = try await platform.risk.addHazard(
                NewHazardSource(
                    code: "HZ-F", name: "山林", category: "forest_fire", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat, inherentLevel: .orange, area: forest), by: admin)
            let coloured = Set(try await platform.risk.map(category: "forest_fire", by: admin).map(\.gridCellId))
            #expect(coloured.isSuperset(of: [f.cellA.id, f.cellB.id]), "both streets' cells: \(coloured)")
            #expect(try await platform.risk.hazards(category: "forest_fire", by: admin).first?.area == forest)
            #expect(hazard.gridCellId == f.cellA.id)
            // From scratch agrees with what the registration coloured.
            _ = try await platform.risk.recomputeAll()
            #expect(Set(try await platform.risk.map(category: "forest_fire", by: admin).map(\.gridCellId)) == coloured)
        }
    }
}
