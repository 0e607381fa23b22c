/// Where a hazard source lies on the grid: the cell of its position and, for a source spread over
/// an area (a chemical park, a forest, a flood plain), every cell its polygon overlaps — a cell
/// corner inside the area, an area corner inside the cell, or their edges crossing.
public enum HazardArea {
    /// The ids of the cells `area` overlaps, among `cells` (id and outline).
    public static func cells(overlapping area: GeoPolygon, among cells: [(id: String, outline: GeoPolygon)]) -> [String]
    {
        let box = area.boundingBox
        return cells.filter { cell in
            let other = cell.outline.boundingBox
            guard other.minLon <= box.maxLon, other.maxLon >= box.minLon, other.minLat <= box.maxLat,
                other.maxLat >= box.minLat
            else { return false }
            return overlaps(area, cell.outline)
        }.map(\.id)
    }

    /// Whether two polygons' outer rings overlap: share some inside, not only an edge or a corner.
    public static func overlaps(_ a: GeoPolygon, _ b: GeoPolygon) -> Bool {
        func strictlyInside(_ point: GeoPoint, _ polygon: GeoPolygon) -> Bool {
            polygon.contains(point) && !onBoundary(point, polygon.outer)
        }
        if strictlyInside(a.interiorPoint, b) || strictlyInside(b.interiorPoint, a) { return true }
        if a.outer.contains(where: { strictlyInside($0, b) }) || b.outer.contains(where: { strictlyInside($0, a) }) {
            return true
        }
        for (p, q) in zip(a.outer, a.outer.dropFirst()) {
            for (r, s) in zip(b.outer, b.outer.dropFirst()) where segmentsCross(p, q, r, s) { return true }
        }
        return false
    }

    /// Whether `point` lies on one of the ring's edges.
    static func onBoundary(_ point: GeoPoint, _ ring: [GeoPoint]) -> Bool {
        zip(ring, ring.dropFirst()).contains { a, b in
            let cross = (b.lon - a.lon) * (point.lat - a.lat) - (b.lat - a.lat) * (point.lon - a.lon)
            let scale = max(abs(b.lon - a.lon), abs(b.lat - a.lat), 1e-12)
            return abs(cross) <= 1e-12 * scale
                && (min(a.lon, b.lon) - 1e-12...max(a.lon, b.lon) + 1e-12).contains(point.lon)
                && (min(a.lat, b.lat) - 1e-12...max(a.lat, b.lat) + 1e-12).contains(point.lat)
        }
    }

    /// Whether segment p–q properly crosses segment r–s.
    static func segmentsCross(_ p: GeoPoint, _ q: GeoPoint, _ r: GeoPoint, _ s: GeoPoint) -> Bool {
        func side(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint) -> Double {
            (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon)
        }
        let d1 = side(r, s, p), d2 = side(r, s, q), d3 = side(p, q, r), d4 = side(p, q, s)
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
    }
}
