/// Where in the snapshot the thing is: a rectangle in fractions of the picture's width and
/// height (0…1), origin top left, as most detectors report it once normalised.
public struct SnapshotBox: Codable, Equatable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        (self.x, self.y, self.width, self.height) = (x, y, width, height)
    }

    /// Inside the picture and not empty.
    public var isValid: Bool {
        [x, y, width, height].allSatisfy(\.isFinite) && x >= 0 && y >= 0 && width > 0 && height > 0
            && x + width <= 1.000_001 && y + height <= 1.000_001
    }

    public var area: Double { width * height }

    /// Intersection over union: 1 for the same box, 0 for boxes apart.
    public func overlap(with other: SnapshotBox) -> Double {
        let left = max(x, other.x)
        let right = min(x + width, other.x + other.width)
        let top = max(y, other.y)
        let bottom = min(y + height, other.y + other.height)
        guard right > left, bottom > top else { return 0 }
        let intersection = (right - left) * (bottom - top)
        let union = area + other.area - intersection
        return union > 0 ? intersection / union : 0
    }
}

/// A camera's view (监控点位): where it looks from and where to. The position is the device's.
public struct CameraView: Codable, Equatable, Sendable {
    /// Compass bearing of the view's centre, degrees clockwise from north (0 ≤ heading < 360).
    public var heading: Double
    /// Horizontal field of view, degrees (1…360).
    public var angle: Double
    /// How far it sees usefully, metres.
    public var range: Double

    public init(heading: Double, angle: Double, range: Double) {
        (self.heading, self.angle, self.range) = (heading, angle, range)
    }

    public var isValid: Bool {
        heading.isFinite && (0..<360).contains(heading) && angle.isFinite && (1...360).contains(angle)
            && range.isFinite && range > 0 && range <= 2_000
    }
}

/// Where a detection is in review (事件审核).
public enum DetectionState: String, Codable, CaseIterable, Sendable {
    /// Below its class's threshold: kept for the record and the precision figures, not reviewed.
    case suppressed
    case pending
    case accepted
    case discarded
}

/// A stored detection: the first sighting with its snapshot, and how often the same thing was
/// seen again in the same place (folded into it).
public struct Detection: Codable, Equatable, Sendable {
    public var id: String
    public var cameraId: String
    public var cameraCode: String
    public var classCode: String
    /// The highest confidence of the folded sightings.
    public var confidence: Double
    public var box: SnapshotBox
    /// The snapshot (an attachment id).
    public var snapshotId: String
    public var detectedAt: Int64
    public var lastDetectedAt: Int64
    public var sightings: Int
    public var state: DetectionState
    public var lon: Double
    public var lat: Double
    public var gridCellId: String?
    public var areaPath: String
    /// What the detector read off the scene (a plate number), passed to the case as custom fields.
    public var fields: [String: String]?
    public var caseId: String?
    public var discardReason: DiscardReason?
    public var note: String?
    public var reviewedBy: String?
    public var reviewedAt: Int64?

    public init(
        id: String, cameraId: String, cameraCode: String, classCode: String, confidence: Double, box: SnapshotBox,
        snapshotId: String, detectedAt: Int64, state: DetectionState, lon: Double, lat: Double, gridCellId: String?,
        areaPath: String, fields: [String: String]? = nil
    ) {
        (self.id, self.cameraId, self.cameraCode, self.classCode) = (id, cameraId, cameraCode, classCode)
        (self.confidence, self.box, self.snapshotId) = (confidence, box, snapshotId)
        (self.detectedAt, self.lastDetectedAt, self.sightings, self.state) = (detectedAt, detectedAt, 1, state)
        (self.lon, self.lat, self.gridCellId, self.areaPath, self.fields) = (lon, lat, gridCellId, areaPath, fields)
    }
}
