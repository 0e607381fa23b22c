import ChengyunCore
import Testing

/// Which cells a hazard spread over an area lies in: hand-drawn squares, and the law that overlap
/// is symmetric and holds for a cell and any area drawn inside it.
@Suite struct HazardAreaTests {
    private func square(_ lon: Double, _ lat: Double, _ size: Double) throws -> GeoPolygon {
        try GeoPolygon(rings: [
            [
                GeoPoint(lon: lon, lat: lat), GeoPoint(lon: lon + size, lat: lat),
                GeoPoint(lon: lon + size, lat: lat + size), GeoPoint(lon: lon, lat: lat + size),
            ]
        ])
    }

    @Test func anAreaLiesInTheCellsItOverlaps() throws {
        // A 3 × 3 grid of 0.01° cells from (120, 31), neighbours sharing their edges exactly.
        var cells: [(id: String, outline: GeoPolygon)] = []
        for row in 0..<3 {
            for column in 0..<3 {
                let (west, east) = (Double(12_000 + column) / 100, Double(12_001 + column) / 100)
                let (south, north) = (Double(3_100 + row) / 100, Double(3_101 + row) / 100)
                let outline = try GeoPolygon(rings: [
                    [
                        GeoPoint(lon: west, lat: south), GeoPoint(lon: east, lat: south),
                        GeoPoint(lon: east, lat: north), GeoPoint(lon: west, lat: north),
                    ]
                ])
                cells.append(("c\(row)\(column)", outline))
            }
        }
        // Inside one cell only.
        #expect(HazardArea.cells(overlapping: try square(120.012, 31.012, 0.005), among: cells) == ["c11"])
        // Across the middle row's left two cells.
        let pair = try GeoPolygon(rings: [
            [
                GeoPoint(lon: 120.005, lat: 31.012), GeoPoint(lon: 120.015, lat: 31.012),
                GeoPoint(lon: 120.015, lat: 31.018), GeoPoint(lon: 120.005, lat: 31.018),
            ]
        ])
        #expect(HazardArea.cells(overlapping: pair, among: cells) == ["c10", "c11"])
        // A thin cross-shaped band: a long strip crossing the middle cells with no corner in any.
        let strip = try GeoPolygon(rings: [
            [
                GeoPoint(lon: 119.99, lat: 31.014), GeoPoint(lon: 120.04, lat: 31.014),
                GeoPoint(lon: 120.04, lat: 31.016), GeoPoint(lon: 119.99, lat: 31.016),
            ]
        ])
        #expect(HazardArea.cells(overlapping: strip, among: cells) == ["c10", "c11", "c12"])
        // Drawn exactly on a cell: that cell, not its neighbours whose edges it touches.
        #expect(HazardArea.cells(overlapping: cells[4].outline, among: cells) == ["c11"])
        // Far away: none.
        #expect(HazardArea.cells(overlapping: try square(121, 32, 0.01), among: cells).isEmpty)
    }

    @Test func overlapIsSymmetricAndHoldsForAreasInsideACell() throws {
        var rng = SystemRandomNumberGenerator()
        let cell = try square(120, 31, 0.01)
        for _ in 0..<300 {
            let size = Double.random(in: 0.0005...0.02, using: &rng)
            let other = try square(
                Double.random(in: 119.98...120.02, using: &rng), Double.random(in: 30.98...31.02, using: &rng), size)
            #expect(HazardArea.overlaps(cell, other) == HazardArea.overlaps(other, cell))
            let inside = try square(
                120 + Double.random(in: 0.0001...0.005, using: &rng),
                31 + Double.random(in: 0.0001...0.005, using: &rng),
                0.004)
            #expect(HazardArea.overlaps(inside, cell), "an area inside the cell overlaps it")
        }
    }
}
