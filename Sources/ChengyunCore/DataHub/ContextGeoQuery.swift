import Foundation

/// An NGSI-LD geo-query (`georel`, `geometry`, `coordinates`, `geoproperty`) over the entities'
/// `location`, which is always a point here: `near;maxDistance==m` and `near;minDistance==m`
/// around a Point (metres, great-circle), `within` or `intersects` a Polygon (one and the same for
/// a point), `disjoint` from a Polygon, `equals` a Point.
public struct ContextGeoQuery: Sendable, Equatable {
    public enum Relation: Sendable, Equatable {
        case near(maxDistance: Double?, minDistance: Double?)
        case within, intersects, disjoint, equals
    }

    public enum Shape: Sendable, Equatable {
        case point(GeoPoint)
        case polygon(GeoPolygon)
    }

    public var relation: Relation
    public var shape: Shape

    public init(relation: Relation, shape: Shape) { (self.relation, self.shape) = (relation, shape) }

    public static func parse(georel: String, geometry: String, coordinates: String, geoproperty: String? = nil) throws
        -> ContextGeoQuery
    {
        guard geoproperty == nil || geoproperty == "location" else {
            throw ContextQueryError("Only the location GeoProperty can be queried.")
        }
        let relation = try parseRelation(georel)
        let shape: Shape
        switch geometry {
        case "Point":
            guard let pair = try? JSONDecoder().decode([Double].self, from: Data(coordinates.utf8)), pair.count == 2
            else { throw ContextQueryError("A Point's coordinates are [longitude, latitude].") }
            let point = GeoPoint(lon: pair[0], lat: pair[1])
            guard point.isValid else { throw ContextQueryError("Longitude is -180…180 and latitude -90…90.") }
            shape = .point(point)
        case "Polygon":
            guard let rings = try? JSONDecoder().decode([[[Double]]].self, from: Data(coordinates.utf8)),
                rings.allSatisfy({ $0.allSatisfy { $0.count == 2 } })
            else { throw ContextQueryError("A Polygon's coordinates are rings of [longitude, latitude] pairs.") }
            do {
                shape = .polygon(
                    try GeoPolygon(rings: rings.map { $0.map { GeoPoint(lon: $0[0], lat: $0[1]) } }))
            } catch {
                throw ContextQueryError("The Polygon is not one: each ring needs three distinct valid points.")
            }
        default:
            throw ContextQueryError("geometry is Point or Polygon.")
        }
        switch (relation, shape) {
        case (.near, .point), (.equals, .point), (.within, .polygon), (.intersects, .polygon), (.disjoint, .polygon):
            return ContextGeoQuery(relation: relation, shape: shape)
        default:
            throw ContextQueryError("near and equals take a Point; within, intersects and disjoint take a Polygon.")
        }
    }

    static func parseRelation(_ text: String) throws -> Relation {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        switch parts[0] {
        case "within": if parts.count == 1 { return .within }
        case "intersects": if parts.count == 1 { return .intersects }
        case "disjoint": if parts.count == 1 { return .disjoint }
        case "equals": if parts.count == 1 { return .equals }
        case "near":
            var maxDistance: Double?
            var minDistance: Double?
            for part in parts.dropFirst() {
                let pair = part.split(separator: "=", omittingEmptySubsequences: true)
                guard part.contains("=="), pair.count == 2, let metres = Double(pair[1]), metres >= 0, metres.isFinite
                else { throw ContextQueryError("near takes maxDistance==metres and/or minDistance==metres.") }
                switch pair[0] {
                case "maxDistance": maxDistance = metres
                case "minDistance": minDistance = metres
                default: throw ContextQueryError("near takes maxDistance==metres and/or minDistance==metres.")
                }
            }
            guard maxDistance != nil || minDistance != nil else {
                throw ContextQueryError("near needs maxDistance==metres or minDistance==metres.")
            }
            return .near(maxDistance: maxDistance, minDistance: minDistance)
        default: break
        }
        throw ContextQueryError(
            "georel is near;maxDistance==m, near;minDistance==m, within, intersects, disjoint or equals.")
    }

    public func matches(_ point: GeoPoint) -> Bool {
        switch (relation, shape) {
        case (.near(let maxDistance, let minDistance), .point(let centre)):
            let distance = point.distance(to: centre)
            return distance <= (maxDistance ?? .infinity) && distance >= (minDistance ?? 0)
        case (.equals, .point(let other)): return point == other
        case (.within, .polygon(let polygon)), (.intersects, .polygon(let polygon)): return polygon.contains(point)
        case (.disjoint, .polygon(let polygon)): return !polygon.contains(point)
        default: return false
        }
    }

    /// A box every match lies in, to narrow the candidates before `matches`; nil when matches may
    /// lie anywhere.
    public var boundingBox: BoundingBox? {
        switch (relation, shape) {
        case (.near(let maxDistance?, _), .point(let centre)):
            // The circle's extent on the sphere: δ its angular radius; in longitude asin(sin δ / cos φ).
            // A circle that reaches a pole or crosses ±180° is not boxed.
            let delta = maxDistance / GeoPoint.earthRadius
            let dLat = delta * 180 / .pi + 1e-6
            let sine = sin(delta) / cos(centre.lat * .pi / 180)
            guard delta < .pi / 2, abs(centre.lat) + dLat < 90, sine < 1 else { return nil }
            let dLon = asin(sine) * 180 / .pi + 1e-6
            guard centre.lon - dLon >= -180, centre.lon + dLon <= 180 else { return nil }
            return BoundingBox(
                minLon: centre.lon - dLon, minLat: centre.lat - dLat, maxLon: centre.lon + dLon,
                maxLat: centre.lat + dLat)
        case (.equals, .point(let point)):
            return BoundingBox(minLon: point.lon, minLat: point.lat, maxLon: point.lon, maxLat: point.lat)
        case (.within, .polygon(let polygon)), (.intersects, .polygon(let polygon)): return polygon.boundingBox
        default: return nil
        }
    }
}
