/// Repeated detections of one thing fold into one (a parked car is seen every few seconds): the
/// same camera, the same class, boxes that overlap, and the last sighting within the window.
/// Any state folds — a repeat of a discarded false alarm is not put to review again, nor a
/// repeat of an accepted one (its case is open) — until the thing has been out of sight for the
/// whole window.
public struct DetectionFolding: Codable, Equatable, Sendable {
    /// How long the thing may go unseen and still be the same sighting.
    public var windowMillis: Int64
    /// Least intersection over union of the two boxes.
    public var minimumOverlap: Double

    public init(windowMillis: Int64 = 30 * 60_000, minimumOverlap: Double = 0.3) {
        (self.windowMillis, self.minimumOverlap) = (windowMillis, minimumOverlap)
    }

    /// The detection a new sighting folds into, if any: the one whose box overlaps most.
    public func target(
        camera: String, classCode: String, box: SnapshotBox, at time: Int64, among recent: [Detection]
    ) -> Detection? {
        recent.filter {
            $0.cameraId == camera && $0.classCode == classCode && time >= $0.detectedAt - windowMillis
                && abs(time - $0.lastDetectedAt) <= windowMillis && $0.box.overlap(with: box) >= minimumOverlap
        }
        .max { $0.box.overlap(with: box) < $1.box.overlap(with: box) }
    }

    /// The detection after one more sighting: seen later (or earlier, sent late), the higher
    /// confidence kept; box and snapshot stay the first's, the evidence already under review. A
    /// detection below its class's threshold goes to review once a sighting reaches it.
    public static func fold(_ detection: Detection, confidence: Double, at time: Int64, threshold: Double) -> Detection
    {
        var folded = detection
        folded.sightings += 1
        folded.lastDetectedAt = max(detection.lastDetectedAt, time)
        folded.detectedAt = min(detection.detectedAt, time)
        folded.confidence = max(detection.confidence, confidence)
        if folded.state == .suppressed, confidence >= threshold { folded.state = .pending }
        return folded
    }

    /// Where a new detection starts: to review at or above its class's threshold.
    public static func initialState(confidence: Double, threshold: Double) -> DetectionState {
        confidence >= threshold ? .pending : .suppressed
    }
}
