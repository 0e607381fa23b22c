import Foundation

/// When a new report is the same problem as an open case (智能合并线索, docs/domain.md §3): the same
/// or a related matter (`relations`), within `distanceMetres`, reported within `windowMillis` of
/// the open case, scored with the words of both descriptions (`DuplicateScore`). Candidates
/// scoring `suggestAt` or more are offered; the rule merges only a same-matter candidate scoring
/// `mergeAt` or more whose custom fields do not differ.
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
    public var relations: MatterRelations
    public var suggestAt: Double
    public var mergeAt: Double

    public init(
        mode: Mode = .merge, distanceMetres: Double = 50, windowMillis: Int64 = 7 * 86_400_000,
        relations: MatterRelations = .standard, suggestAt: Double = 0.5, mergeAt: Double = 0.6
    ) {
        self.mode = mode
        self.distanceMetres = distanceMetres
        self.windowMillis = windowMillis
        self.relations = relations
        self.suggestAt = suggestAt
        self.mergeAt = mergeAt
    }

    /// Among scored matches, the one to merge into: the best of the same matter at `mergeAt` or
    /// more with no differing field, when the rule merges.
    public func mergeTarget(_ matches: [DuplicateMatch]) -> DuplicateMatch? {
        guard mode == .merge else { return nil }
        return matches.first { $0.relation == .same && $0.differingFields.isEmpty && $0.score >= mergeAt }
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
        _ candidate: DuplicateCandidate, of kind: CaseKind, major: String, minor: String, at point: GeoPoint,
        reportedAt: Int64
    ) -> Bool {
        candidate.state.isOpen && candidate.state != .merged
            && candidate.kind == kind && candidate.majorCode == major && candidate.minorCode == minor
            && reportedAt - candidate.reportedAt <= windowMillis && reportedAt >= candidate.reportedAt - windowMillis
            && candidate.position.distance(to: point) <= distanceMetres
    }

    /// The candidates that are duplicates of a report at `point`, nearest first.
    public func duplicates(
        among candidates: [DuplicateCandidate], of kind: CaseKind, major: String, minor: String, at point: GeoPoint,
        reportedAt: Int64
    ) -> [DuplicateCandidate] {
        candidates.filter { isDuplicate($0, of: kind, major: major, minor: minor, at: point, reportedAt: reportedAt) }
            .sorted { $0.position.distance(to: point) < $1.position.distance(to: point) }
    }
}

/// What the duplicate rule reads of an open case — little enough to read for every candidate
/// near a new report, before the few duplicates are read whole.
public struct DuplicateCandidate: Equatable, Sendable {
    public var id: String
    public var kind: CaseKind
    public var majorCode: String
    public var minorCode: String
    public var state: CaseState
    public var position: GeoPoint
    public var reportedAt: Int64

    public init(
        id: String, kind: CaseKind, majorCode: String, minorCode: String, state: CaseState, position: GeoPoint,
        reportedAt: Int64
    ) {
        self.id = id
        self.kind = kind
        self.majorCode = majorCode
        self.minorCode = minorCode
        self.state = state
        self.position = position
        self.reportedAt = reportedAt
    }
}

extension Case {
    public var duplicateCandidate: DuplicateCandidate {
        DuplicateCandidate(
            id: id, kind: kind, majorCode: majorCode, minorCode: minorCode, state: state, position: position,
            reportedAt: reportedAt)
    }
}
