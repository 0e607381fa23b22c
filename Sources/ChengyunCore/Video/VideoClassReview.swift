/// What review says of one class (算法管理): how often the system was right, and which threshold
/// would have kept it right often enough. Pure, from the reviewed detections' confidences and
/// verdicts.
public struct VideoClassReview: Codable, Equatable, Sendable {
    public var classCode: String
    public var threshold: Double
    public var pending: Int
    public var suppressed: Int
    public var accepted: Int
    public var discarded: Int
    /// Of the reviewed detections, the share the system saw right (accepted, or discarded as a
    /// duplicate or already handled); nil before any review.
    public var precision: Double?
    /// The lowest confidence at or above which the reviewed detections reach `targetPrecision`
    /// (with at least `minimumReviewed` of them); nil while too few are reviewed.
    public var suggestedThreshold: Double?

    public static let targetPrecision = 0.9
    public static let minimumReviewed = 10

    /// One reviewed detection: its confidence and whether the system was right.
    public struct Verdict: Equatable, Sendable {
        public var confidence: Double
        public var right: Bool
        public init(confidence: Double, right: Bool) { (self.confidence, self.right) = (confidence, right) }
    }

    public init(
        classCode: String, threshold: Double, pending: Int, suppressed: Int, accepted: Int, discarded: Int,
        verdicts: [Verdict]
    ) {
        (self.classCode, self.threshold, self.pending, self.suppressed) = (classCode, threshold, pending, suppressed)
        (self.accepted, self.discarded) = (accepted, discarded)
        let right = verdicts.filter(\.right).count
        precision = verdicts.isEmpty ? nil : Double(right) / Double(verdicts.count)
        suggestedThreshold = Self.suggest(verdicts)
    }

    /// Walks the verdicts from the most confident down, and answers the lowest confidence whose
    /// cut still keeps the precision at the target over at least `minimumReviewed` detections.
    public static func suggest(_ verdicts: [Verdict]) -> Double? {
        guard verdicts.count >= minimumReviewed else { return nil }
        let sorted = verdicts.sorted { $0.confidence > $1.confidence }
        var (kept, right) = (0, 0)
        var best: Double?
        var index = 0
        while index < sorted.count {
            // Equal confidences go together: a threshold cannot split them.
            let confidence = sorted[index].confidence
            while index < sorted.count, sorted[index].confidence == confidence {
                kept += 1
                if sorted[index].right { right += 1 }
                index += 1
            }
            if kept >= minimumReviewed, Double(right) / Double(kept) >= targetPrecision { best = confidence }
        }
        return best
    }
}
