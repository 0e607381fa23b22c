/// When a new report is the same problem as an open case (智能合并线索, docs/domain.md §3): same minor
/// category, within `distanceMetres`, reported within `windowMillis` of the open case.
public struct DuplicateRule: Codable, Equatable, Sendable {
    public enum Mode: String, Codable, Sendable {
        /// Merge automatically.
        case merge
        /// Offer the candidates to the intake operator, who decides.
        case suggest
        case off
    }

    public var mode: Mode
    public var distanceMetres: Double
    public var windowMillis: Int64

    public init(mode: Mode = .merge, distanceMetres: Double = 50, windowMillis: Int64 = 7 * 86_400_000) {
        self.mode = mode
        self.distanceMetres = distanceMetres
        self.windowMillis = windowMillis
    }

    /// Buckets of about 100 m: a search reads the point's bucket and enough neighbours to cover
    /// the distance.
    public static let buckets = SpatialBuckets(degrees: 0.001)

    public func searchKeys(around point: GeoPoint) -> [SpatialBuckets.Key] {
        let dLat = distanceMetres / 111_195
        let dLon = dLat / max(0.01, cos(point.lat * .pi / 180))
        return Self.buckets.keys(
            covering: BoundingBox(
                minLon: point.lon - dLon, minLat: point.lat - dLat,
                maxLon: point.lon + dLon, maxLat: point.lat + dLat))
    }

    public func isDuplicate(
        _ candidate: Case, of kind: CaseKind, major: String, minor: String, at point: GeoPoint,
        reportedAt: Int64
    ) -> Bool {
        candidate.state.isOpen && candidate.state != .merged
            && candidate.kind == kind && candidate.majorCode == major && candidate.minorCode == minor
            && reportedAt - candidate.reportedAt <= windowMillis && reportedAt >= candidate.reportedAt - windowMillis
            && candidate.position.distance(to: point) <= distanceMetres
    }
}

import Foundation
