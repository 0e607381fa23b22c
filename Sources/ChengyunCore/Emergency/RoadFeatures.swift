/// A road network file as GeoJSON (RFC 7946): a FeatureCollection of LineString or
/// MultiLineString features, each with its road class in `properties.highway` (OpenStreetMap's key)
/// or `properties.roadClass`. Other members and properties are read past.
public struct RoadFeature: Decodable, Equatable, Sendable {
    public var lines: [[GeoPoint]]
    public var roadClass: String?

    public init(lines: [[GeoPoint]], roadClass: String?) {
        self.lines = lines
        self.roadClass = roadClass
    }

    enum Keys: String, CodingKey { case type, geometry, properties, coordinates, highway, roadClass }

    public init(from decoder: any Decoder) throws {
        let feature = try decoder.container(keyedBy: Keys.self)
        let geometry = try feature.nestedContainer(keyedBy: Keys.self, forKey: .geometry)
        let type = try geometry.decode(String.self, forKey: .type)
        let pairs: [[[Double]]]
        switch type {
        case "LineString": pairs = [try geometry.decode([[Double]].self, forKey: .coordinates)]
        case "MultiLineString": pairs = try geometry.decode([[[Double]]].self, forKey: .coordinates)
        default:
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: geometry.codingPath + [Keys.type],
                    debugDescription: "A road is a LineString or MultiLineString, not \(type)."))
        }
        lines = try pairs.map { line in
            try line.map { pair in
                guard pair.count >= 2 else {
                    throw DecodingError.dataCorrupted(
                        .init(
                            codingPath: geometry.codingPath + [Keys.coordinates], debugDescription: "[lon, lat] pairs.")
                    )
                }
                return GeoPoint(lon: pair[0], lat: pair[1])
            }
        }
        if feature.contains(.properties), try !feature.decodeNil(forKey: .properties) {
            let properties = try feature.nestedContainer(keyedBy: Keys.self, forKey: .properties)
            roadClass =
                (try? properties.decodeIfPresent(String.self, forKey: .highway))
                ?? (try? properties.decodeIfPresent(String.self, forKey: .roadClass)) ?? nil
        } else {
            roadClass = nil
        }
    }
}

extension RoadNetwork {
    /// At most this many vertices in a loaded network.
    public static let maxVertices = 500_000

    /// The roads of a file's features, or the issues that keep it from loading: a position that is
    /// not WGS-84, a line of fewer than two points, too many vertices, no road at all.
    public static func roads(from features: [RoadFeature]) throws -> [Road] {
        var v = Validator()
        var roads: [Road] = []
        var vertices = 0
        for (i, feature) in features.enumerated() {
            for line in feature.lines {
                vertices += line.count
                guard line.count >= 2, line.allSatisfy(\.isValid) else {
                    v.add(
                        FieldIssue(
                            field: "features[\(i)].geometry", code: "invalid_value",
                            message: "Each line has at least two WGS-84 [lon, lat] positions."))
                    continue
                }
                roads.append(Road(points: line, roadClass: feature.roadClass ?? "unclassified"))
            }
        }
        v.check(!roads.isEmpty, "features", "required", "At least one road.")
        v.check(vertices <= maxVertices, "features", "too_large", "At most \(maxVertices) vertices.")
        try v.finish()
        return roads
    }
}
