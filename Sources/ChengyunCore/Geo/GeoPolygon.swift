import Foundation

/// A polygon with an outer ring and optional holes, coordinates as [lon, lat] pairs (GeoJSON
/// `Polygon`). Rings are stored closed (first point repeated last).
public struct GeoPolygon: Equatable, Sendable {
    public var rings: [[GeoPoint]]

    public init(rings: [[GeoPoint]]) throws {
        var issues = Validator()
        issues.check(!rings.isEmpty, "geometry", "invalid_geometry", "A polygon needs an outer ring.")
        var closed: [[GeoPoint]] = []
        for (index, ring) in rings.enumerated() {
            var ring = ring
            if let first = ring.first, first != ring.last { ring.append(first) }
            issues.check(
                ring.count >= 4, "geometry.coordinates[\(index)]", "invalid_geometry",
                "A ring needs at least three distinct points.")
            issues.check(
                ring.allSatisfy(\.isValid), "geometry.coordinates[\(index)]", "invalid_geometry",
                "Coordinates must be longitude -180…180 and latitude -90…90.")
            closed.append(ring)
        }
        try issues.finish()
        self.rings = closed
    }

    public var outer: [GeoPoint] { rings[0] }

    public var boundingBox: BoundingBox {
        var box = BoundingBox(minLon: .infinity, minLat: .infinity, maxLon: -.infinity, maxLat: -.infinity)
        for point in outer {
            box.minLon = min(box.minLon, point.lon)
            box.maxLon = max(box.maxLon, point.lon)
            box.minLat = min(box.minLat, point.lat)
            box.maxLat = max(box.maxLat, point.lat)
        }
        return box
    }

    /// Even-odd rule over all rings, so holes are excluded. A point on an edge counts as inside
    /// the ring whose edge it is on the left/bottom of, so neighbouring cells never both claim it.
    public func contains(_ point: GeoPoint) -> Bool {
        var inside = false
        for ring in rings where Self.ringContains(ring, point) { inside.toggle() }
        return inside
    }

    static func ringContains(_ ring: [GeoPoint], _ p: GeoPoint) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let crossLon = (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon
                if p.lon < crossLon { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// Area in square metres on a local equirectangular projection (exact enough for grid cells).
    public var areaSquareMetres: Double {
        var total = 0.0
        for (index, ring) in rings.enumerated() {
            let area = abs(Self.planarArea(ring))
            total += index == 0 ? area : -area
        }
        return total
    }

    static func planarArea(_ ring: [GeoPoint]) -> Double {
        guard let first = ring.first else { return 0 }
        let metresPerDegreeLat = GeoPoint.earthRadius * .pi / 180
        let metresPerDegreeLon = metresPerDegreeLat * cos(first.lat * .pi / 180)
        var sum = 0.0
        for i in 0..<(ring.count - 1) {
            let x1 = (ring[i].lon - first.lon) * metresPerDegreeLon, y1 = (ring[i].lat - first.lat) * metresPerDegreeLat
            let x2 = (ring[i + 1].lon - first.lon) * metresPerDegreeLon
            let y2 = (ring[i + 1].lat - first.lat) * metresPerDegreeLat
            sum += x1 * y2 - x2 * y1
        }
        return sum / 2
    }

    /// Mean of the outer ring's distinct vertices: a label position for maps.
    public var centroid: GeoPoint {
        let points = outer.dropLast()
        let n = Double(points.count)
        return GeoPoint(lon: points.map(\.lon).reduce(0, +) / n, lat: points.map(\.lat).reduce(0, +) / n)
    }

    /// A point inside the polygon, to stand for it: the centroid when that lies inside (any
    /// convex cell), else the first point between the centroid and a vertex that does.
    public var interiorPoint: GeoPoint {
        let centre = centroid
        if contains(centre) { return centre }
        for vertex in outer.dropLast() {
            for share in [0.5, 0.25, 0.75, 0.9] {
                let point = GeoPoint(
                    lon: centre.lon + (vertex.lon - centre.lon) * share,
                    lat: centre.lat + (vertex.lat - centre.lat) * share)
                if contains(point) { return point }
            }
        }
        return outer[0]
    }
}

extension GeoPolygon: Codable {
    enum CodingKeys: String, CodingKey { case type, coordinates }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard type == "Polygon" else {
            throw DomainError.validation([
                FieldIssue(
                    field: "geometry.type", code: "invalid_geometry",
                    message: "Only GeoJSON Polygon geometries are accepted.")
            ])
        }
        let raw = try container.decode([[[Double]]].self, forKey: .coordinates)
        var rings: [[GeoPoint]] = []
        for ring in raw {
            var points: [GeoPoint] = []
            for pair in ring {
                guard pair.count >= 2 else {
                    throw DomainError.validation([
                        FieldIssue(
                            field: "geometry.coordinates", code: "invalid_geometry",
                            message: "Each position is [longitude, latitude].")
                    ])
                }
                points.append(GeoPoint(lon: pair[0], lat: pair[1]))
            }
            rings.append(points)
        }
        try self.init(rings: rings)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("Polygon", forKey: .type)
        try container.encode(rings.map { $0.map { [$0.lon, $0.lat] } }, forKey: .coordinates)
    }
}
