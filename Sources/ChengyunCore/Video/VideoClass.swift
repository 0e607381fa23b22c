/// A violation class a video-AI system recognises (视频智能分析, seed 003 §4.18): the platform
/// ships the twelve street violations the seeds name, each with the matter its case is filed
/// under and a default confidence threshold that administrators tune per class.
public struct VideoClass: Codable, Equatable, Sendable {
    /// Stable code, lower-case letters, digits and underscores (`illegal_parking`).
    public var code: String
    public var name: String
    public var nameEn: String
    /// The matter (E0505 …) a case from an accepted detection is filed under.
    public var matterCode: String
    /// Custom fields every such case carries (a bin overflow is E0102 with `bins_overflowing`).
    public var caseFields: [String: String]?
    /// Detections below it are recorded but not put to review.
    public var threshold: Double

    public init(
        code: String, name: String, nameEn: String, matterCode: String, caseFields: [String: String]? = nil,
        threshold: Double
    ) {
        (self.code, self.name, self.nameEn, self.matterCode) = (code, name, nameEn, matterCode)
        (self.caseFields, self.threshold) = (caseFields, threshold)
    }
}

/// Why a reviewer discarded a detection. Only a false detection or a scene that is no violation
/// count against the class's precision: a duplicate or an already handled problem was seen right.
public enum DiscardReason: String, Codable, CaseIterable, Sendable {
    /// 误报: the class is not in the picture.
    case falseDetection = "false_detection"
    /// 不构成违规: it is there, but allowed (a permitted stall, a loading stop).
    case notViolation = "not_violation"
    /// 重复: the problem is already a case.
    case duplicate
    /// 已处置: gone or handled by the time of review.
    case alreadyHandled = "already_handled"
    case other

    /// Whether the system saw what it said it saw.
    public var detectionWasRight: Bool {
        switch self {
        case .duplicate, .alreadyHandled: true
        case .falseDetection, .notViolation, .other: false
        }
    }
}
