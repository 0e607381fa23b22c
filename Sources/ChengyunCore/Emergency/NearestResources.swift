import Foundation

/// A resource as the nearest-dispatch search sees it.
public struct DispatchCandidate: Sendable, Equatable {
    public var id: String
    public var position: GeoPoint
    public var status: ResourceStatus
    public var capabilities: Set<String>

    public init(id: String, position: GeoPoint, status: ResourceStatus, capabilities: Set<String>) {
        self.id = id
        self.position = position
        self.status = status
        self.capabilities = capabilities
    }
}

/// One suggestion, with the reason a dispatcher reads: how far, how long, by what measure.
public struct DispatchSuggestion: Sendable, Equatable, Codable {
    public enum Measure: String, Codable, Sendable {
        /// Great-circle distance, where no road network is loaded.
        case straightLine
        /// Travel time over the road network.
        case road
    }

    public var resourceId: String
    public var distanceMetres: Double
    /// Estimated time of arrival in seconds: over the roads, or at `NearestResources.straightSpeed`.
    public var etaSeconds: Double
    public var measure: Measure

    public init(resourceId: String, distanceMetres: Double, etaSeconds: Double, measure: Measure) {
        self.resourceId = resourceId
        self.distanceMetres = distanceMetres
        self.etaSeconds = etaSeconds
        self.measure = measure
    }
}

/// The available resources with a capability nearest a scene, in straight line. Resources are
/// filed in square buckets; a search reads rings of buckets outward from the scene and stops once
/// the ring nearest the scene lies farther than the n-th best found, so it reads a handful of
/// buckets rather than every resource.
public struct NearestResources: Sendable {
    /// The speed a straight-line ETA assumes, in metres a second (30 km/h through a city).
    public static let straightSpeed = 30_000.0 / 3600

    let buckets: SpatialBuckets
    private var filed: [SpatialBuckets.Key: [DispatchCandidate]] = [:]
    private var bounds: (low: SpatialBuckets.Key, high: SpatialBuckets.Key)?

    public init(_ candidates: [DispatchCandidate], bucketDegrees: Double = 0.01) {
        buckets = SpatialBuckets(degrees: bucketDegrees)
        for candidate in candidates {
            let key = buckets.key(of: candidate.position)
            filed[key, default: []].append(candidate)
            bounds =
                bounds.map {
                    (
                        SpatialBuckets.Key(x: min($0.low.x, key.x), y: min($0.low.y, key.y)),
                        SpatialBuckets.Key(x: max($0.high.x, key.x), y: max($0.high.y, key.y))
                    )
                } ?? (key, key)
        }
    }

    /// The `count` nearest available resources having `capability` (any when nil), nearest
    /// first; equal distances in id order.
    public func nearest(to scene: GeoPoint, capability: String? = nil, count: Int) -> [DispatchSuggestion] {
        guard count > 0, let bounds else { return [] }
        let centre = buckets.key(of: scene)
        var found: [DispatchSuggestion] = []
        let farthest = max(
            abs(centre.x - bounds.low.x), abs(centre.x - bounds.high.x), abs(centre.y - bounds.low.y),
            abs(centre.y - bounds.high.y))
        var read = 0
        for ring in 0...farthest {
            // Every bucket of this ring lies at least (ring - 1) bucket widths from the scene.
            if found.count >= count, let worst = found.last?.distanceMetres, worst < ringDistance(ring, at: scene) {
                break
            }
            let keys = ring == 0 ? 1 : 8 * ring
            if read + keys > filed.count {
                // A scene far from every resource: reading the filed buckets not read yet costs less
                // than the rings left (which could be thousands of empty ones).
                for (key, list) in filed where max(abs(key.x - centre.x), abs(key.y - centre.y)) >= ring {
                    for candidate in list where Self.eligible(candidate, capability) {
                        found.append(Self.suggestion(candidate, from: scene))
                    }
                }
                found.sort(by: Self.before)
                if found.count > count { found.removeLast(found.count - count) }
                break
            }
            read += keys
            for key in Self.ring(ring, around: centre) {
                for candidate in filed[key] ?? [] where Self.eligible(candidate, capability) {
                    found.append(Self.suggestion(candidate, from: scene))
                }
            }
            found.sort(by: Self.before)
            if found.count > count { found.removeLast(found.count - count) }
        }
        return found
    }

    /// The same answer by reading every resource: the baseline the index is measured against
    /// and checked by.
    public static func scan(
        _ candidates: [DispatchCandidate], to scene: GeoPoint, capability: String? = nil, count: Int
    ) -> [DispatchSuggestion] {
        Array(
            candidates.filter { eligible($0, capability) }.map { suggestion($0, from: scene) }.sorted(by: before)
                .prefix(max(count, 0)))
    }

    static func eligible(_ candidate: DispatchCandidate, _ capability: String?) -> Bool {
        candidate.status == .available && (capability.map { candidate.capabilities.contains($0) } ?? true)
    }

    static func suggestion(_ candidate: DispatchCandidate, from scene: GeoPoint) -> DispatchSuggestion {
        let metres = scene.distance(to: candidate.position)
        return DispatchSuggestion(
            resourceId: candidate.id, distanceMetres: metres, etaSeconds: metres / straightSpeed, measure: .straightLine
        )
    }

    static func before(_ a: DispatchSuggestion, _ b: DispatchSuggestion) -> Bool {
        (a.distanceMetres, a.resourceId) < (b.distanceMetres, b.resourceId)
    }

    /// A lower bound, in metres, of the distance from `scene` to any point of ring `ring`.
    private func ringDistance(_ ring: Int, at scene: GeoPoint) -> Double {
        guard ring > 1 else { return 0 }
        // A ring-r bucket lies at least r - 1 bucket widths from the scene's bucket along x or y.
        // A degree of latitude is ~111 km; a degree of longitude shrinks with the cosine of the
        // latitude, so the narrower bounds both, taken at the ring's highest latitude, less 1 %
        // for the sphere's curvature over the span.
        let span = Double(ring - 1) * buckets.degrees
        let latitude = min(89.9, abs(scene.lat) + Double(ring + 1) * buckets.degrees)
        let metresPerDegree = 2 * .pi * GeoPoint.earthRadius / 360
        return 0.99 * span * metresPerDegree * cos(latitude * .pi / 180)
    }

    static func ring(_ ring: Int, around centre: SpatialBuckets.Key) -> [SpatialBuckets.Key] {
        guard ring > 0 else { return [centre] }
        var keys: [SpatialBuckets.Key] = []
        for x in (centre.x - ring)...(centre.x + ring) {
            keys.append(SpatialBuckets.Key(x: x, y: centre.y - ring))
            keys.append(SpatialBuckets.Key(x: x, y: centre.y + ring))
        }
        for y in (centre.y - ring + 1)...(centre.y + ring - 1) {
            keys.append(SpatialBuckets.Key(x: centre.x - ring, y: y))
            keys.append(SpatialBuckets.Key(x: centre.x + ring, y: y))
        }
        return keys
    }
}
