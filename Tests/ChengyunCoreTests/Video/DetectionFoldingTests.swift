import ChengyunCore
import Testing

/// Repeated sightings fold into one detection; a class's precision and suggested threshold come
/// from its reviewed detections. Expectations computed by hand.
@Suite struct DetectionFoldingTests {
    private let box = SnapshotBox(x: 0.4, y: 0.3, width: 0.2, height: 0.4)

    private func detection(_ id: String, camera: String = "cam-1", classCode: String = "illegal_parking", at: Int64)
        -> Detection
    {
        Detection(
            id: id, cameraId: camera, cameraCode: camera, classCode: classCode, confidence: 0.8, box: box,
            snapshotId: "snap-\(id)", detectedAt: at, state: .pending, lon: 120.6, lat: 31.3, gridCellId: nil,
            areaPath: "/a/")
    }

    @Test func overlapIsIntersectionOverUnion() {
        #expect(box.overlap(with: box) == 1)
        // Shifted by half its width: intersection 0.1 × 0.4 = 0.04, union 0.08 + 0.08 − 0.04 = 0.12.
        let shifted = SnapshotBox(x: 0.5, y: 0.3, width: 0.2, height: 0.4)
        #expect(abs(box.overlap(with: shifted) - 1.0 / 3.0) < 1e-9)
        #expect(box.overlap(with: SnapshotBox(x: 0.0, y: 0.0, width: 0.1, height: 0.1)) == 0)
        #expect(!SnapshotBox(x: 0.9, y: 0, width: 0.2, height: 0.1).isValid)
        #expect(!SnapshotBox(x: 0.1, y: 0.1, width: 0, height: 0.1).isValid)
        #expect(SnapshotBox(x: 0, y: 0, width: 1, height: 1).isValid)
    }

    @Test func theSameThingSeenAgainWithinTheWindowFolds() {
        let folding = DetectionFolding(windowMillis: 600_000, minimumOverlap: 0.3)
        let first = detection("d1", at: 1_000_000)
        let near = SnapshotBox(x: 0.42, y: 0.31, width: 0.2, height: 0.4)
        #expect(
            folding.target(camera: "cam-1", classCode: "illegal_parking", box: near, at: 1_300_000, among: [first])?.id
                == "d1")
        // Another camera, another class, a box elsewhere in the picture, or out of sight too long: no.
        #expect(
            folding.target(camera: "cam-2", classCode: "illegal_parking", box: near, at: 1_300_000, among: [first])
                == nil)
        #expect(
            folding.target(camera: "cam-1", classCode: "street_vendor", box: near, at: 1_300_000, among: [first]) == nil
        )
        let apart = SnapshotBox(x: 0.0, y: 0.0, width: 0.2, height: 0.2)
        #expect(
            folding.target(camera: "cam-1", classCode: "illegal_parking", box: apart, at: 1_300_000, among: [first])
                == nil)
        #expect(
            folding.target(camera: "cam-1", classCode: "illegal_parking", box: near, at: 1_600_001, among: [first])
                == nil)
        // A thing in sight all along stays one detection: the window runs from its last sighting.
        let seen = DetectionFolding.fold(first, confidence: 0.9, at: 1_500_000, threshold: 0.6)
        #expect(seen.sightings == 2 && seen.lastDetectedAt == 1_500_000 && seen.confidence == 0.9)
        #expect(
            folding.target(camera: "cam-1", classCode: "illegal_parking", box: near, at: 2_000_000, among: [seen])?.id
                == "d1")
        // A sighting sent late moves the first sighting back and keeps the higher confidence.
        let late = DetectionFolding.fold(seen, confidence: 0.5, at: 900_000, threshold: 0.6)
        #expect(late.detectedAt == 900_000 && late.lastDetectedAt == 1_500_000 && late.confidence == 0.9)
    }

    @Test func theBestOverlappingDetectionIsChosen() {
        let folding = DetectionFolding()
        var other = detection("d2", at: 1_000_000)
        other.box = SnapshotBox(x: 0.5, y: 0.3, width: 0.2, height: 0.4)
        let target = folding.target(
            camera: "cam-1", classCode: "illegal_parking", box: box, at: 1_100_000,
            among: [other, detection("d1", at: 1_000_000)])
        #expect(target?.id == "d1")
    }

    @Test func detectionsBelowTheThresholdAreNotReviewedUntilASightingReachesIt() {
        #expect(DetectionFolding.initialState(confidence: 0.59, threshold: 0.6) == .suppressed)
        #expect(DetectionFolding.initialState(confidence: 0.6, threshold: 0.6) == .pending)
        var faint = detection("d1", at: 1_000_000)
        faint.state = .suppressed
        #expect(DetectionFolding.fold(faint, confidence: 0.55, at: 1_100_000, threshold: 0.6).state == .suppressed)
        #expect(DetectionFolding.fold(faint, confidence: 0.95, at: 1_100_000, threshold: 0.6).state == .pending)
        // A reviewed one stays reviewed.
        var accepted = faint
        accepted.state = .accepted
        #expect(DetectionFolding.fold(accepted, confidence: 0.95, at: 1_100_000, threshold: 0.6).state == .accepted)
    }

    @Test func discardReasonsSayWhetherTheSystemSawRight() {
        #expect(DiscardReason.duplicate.detectionWasRight && DiscardReason.alreadyHandled.detectionWasRight)
        #expect(!DiscardReason.falseDetection.detectionWasRight && !DiscardReason.notViolation.detectionWasRight)
    }

    @Test func precisionAndTheSuggestedThreshold() {
        typealias V = VideoClassReview.Verdict
        // Ten right at 0.9 … 0.81, then wrong at 0.8, 0.75, right at 0.7, wrong at 0.6.
        var verdicts = (0..<10).map { V(confidence: 0.9 - Double($0) * 0.01, right: true) }
        verdicts += [V(confidence: 0.8, right: false), V(confidence: 0.75, right: false)]
        verdicts += [V(confidence: 0.7, right: true), V(confidence: 0.6, right: false)]
        let review = VideoClassReview(
            classCode: "illegal_parking", threshold: 0.7, pending: 1, suppressed: 2, accepted: 11, discarded: 3,
            verdicts: verdicts)
        // 11 right of 14.
        #expect(abs((review.precision ?? 0) - 11.0 / 14.0) < 1e-9)
        // At 0.8: 10 of 11 = 0.909 ≥ 0.9; at 0.75: 10 of 12 = 0.83; at 0.7: 11 of 13 = 0.846; at 0.6: 11 of 14.
        #expect(review.suggestedThreshold == 0.8)
        // Too few reviewed: no suggestion, and no precision before any review.
        #expect(VideoClassReview.suggest(Array(verdicts.prefix(9))) == nil)
        let none = VideoClassReview(
            classCode: "x", threshold: 0.6, pending: 0, suppressed: 0, accepted: 0, discarded: 0, verdicts: [])
        #expect(none.precision == nil && none.suggestedThreshold == nil)
    }

    @Test func equalConfidencesAreNotSplit() {
        typealias V = VideoClassReview.Verdict
        // Nine right at 0.95; at 0.9 one right and one wrong: the cut at 0.9 keeps 10 of 11.
        let verdicts =
            Array(repeating: V(confidence: 0.95, right: true), count: 9) + [
                V(confidence: 0.9, right: true), V(confidence: 0.9, right: false),
            ]
        #expect(VideoClassReview.suggest(verdicts) == 0.9)
    }
}
