import ChengyunCore
import Foundation
import SQLKit

/// The video-AI channel (视频智能分析, seed 003 §4.18): detections from any external system come
/// in with their snapshot, repeats fold into one, and an intake operator reviews each (事件审核):
/// accepted, it is reported as a case of the class's matter with the snapshot as evidence and
/// accepted at once; discarded, the reason counts toward the class's precision.
public struct VideoService: Sendable {
    let platform: Platform
    let videos = VideoRepository()
    public var folding = DetectionFolding()

    /// The classes shipped with the platform (read once).
    public static func shippedClasses() throws -> [VideoClass] { try shipped.get().classes }

    private struct Shipped: Decodable { var classes: [VideoClass] }
    private static let shipped = Result { try ShippedFile.read("default-video-classes", as: Shipped.self) }

    /// The catalogue with administrators' thresholds in force.
    func classes(on db: any SQLDatabase) async throws -> [VideoClass] {
        let thresholds = try await videos.thresholds(on: db)
        return try Self.shippedClasses().map { item in
            var item = item
            item.threshold = thresholds[item.code] ?? item.threshold
            return item
        }
    }

    // MARK: Ingest

    /// Records one sighting: folded into the same thing's detection when there is one (nothing
    /// else is stored), else a new detection with its snapshot, to review at or above the class's
    /// threshold. The answer is given once the detection is committed.
    public func ingest(_ input: NewDetection, by actor: Principal) async throws -> DetectionReceipt {
        let now = platform.now()
        let (camera, known, bound) = try await platform.pool.read { db in
            (
                try await DeviceRepository().find(code: input.cameraCode, on: db), try await classes(on: db),
                try await videos.keyIsBound(actor.id, on: db)
            )
        }
        let videoClass = known.first { $0.code == input.classCode }
        let matter =
            try await videoClass.flatMap({ MatterCode($0.matterCode) }).asyncMap { code in
                try await platform.pool.read { try await MatterRepository().find(code: code, on: $0) }
            } ?? nil
        var validator = Validator()
        validator.check(videoClass != nil, "classCode", "unknown_class", "No video class has this code.")
        validator.check(
            input.confidence.isFinite && (0...1).contains(input.confidence), "confidence", "invalid_value",
            "A confidence from 0 to 1.")
        validator.check(input.box.isValid, "box", "invalid_box", "A box inside the picture, in fractions 0–1.")
        validator.check(
            input.detectedAt >= now - 7 * 86_400_000 && input.detectedAt <= now + 300_000, "detectedAt",
            "invalid_time", "A time within the last 7 days (epoch milliseconds).")
        // What the detector read becomes the case's fields: only the class's matter's fields.
        let fields = input.fields ?? [:]
        let allowed = Set(matter?.customFields.map(\.key) ?? [])
        validator.check(
            fields.count <= 10 && fields.allSatisfy { $0.key.count <= 40 && $0.value.count <= 100 }, "fields",
            "invalid_value", "At most 10 fields, keys up to 40 and values up to 100 characters.")
        for key in fields.keys.sorted() where matter != nil && !allowed.contains(key) {
            validator.check(
                false, "fields.\(key)", "unknown_field",
                "Not a field of matter \(videoClass?.matterCode ?? ""): \(allowed.sorted().joined(separator: ", ")).")
        }
        // The same answer for a camera that does not exist and one this key may not feed: a key
        // bound to devices feeds those only; an unbound key, the unbound cameras of its area
        // (telemetry's rule, `MonitoringMemory.mayWrite`).
        let mayFeed =
            camera.map {
                $0.kindCode == "camera"
                    && ($0.apiKeyId.map { $0 == actor.id } ?? (!bound && actor.canSee(path: $0.areaPath)))
            } ?? false
        validator.check(mayFeed, "cameraCode", "unknown_camera", "No camera this key may feed has this code.")
        let bytes = Data(base64Encoded: input.snapshot, options: .ignoreUnknownCharacters)
        validator.check(
            bytes.map { !$0.isEmpty && $0.count <= NewDetection.maxSnapshotBytes } ?? false, "snapshot",
            "invalid_snapshot", "The snapshot as base64, at most \(NewDetection.maxSnapshotBytes / 1_048_576) MB.")
        if let bytes, AttachmentPolicy.sniff(bytes)?.hasPrefix("image/") != true {
            validator.check(false, "snapshot", "unsupported_type", "A JPEG, PNG or WebP picture.")
        }
        try validator.finish()
        guard let camera, let videoClass, let bytes else { throw DomainError.notFound("Camera") }
        let sighting = Sighting(
            camera: camera, videoClass: videoClass, confidence: input.confidence, box: input.box,
            at: input.detectedAt, fields: input.fields)
        // A repeat needs no snapshot: fold it without storing one.
        if let receipt = try await record(sighting, snapshotId: nil, by: actor) { return receipt }
        // The key's uploads count against the daily upload quota like anyone's.
        let snapshot = try await platform.files.save(
            Array(bytes), declaredType: nil, name: "\(camera.code)-\(input.detectedAt).jpg", by: actor)
        guard let receipt = try await record(sighting, snapshotId: snapshot.id, by: actor) else {
            throw DomainError.notFound("Camera")
        }
        return receipt
    }

    struct Sighting {
        var camera: Device, videoClass: VideoClass, confidence: Double, box: SnapshotBox, at: Int64
        var fields: [String: String]?
    }

    /// Folds the sighting into a detection of the same thing, or (given a snapshot) starts one;
    /// nil, writing nothing, when there is nothing to fold into and no snapshot yet. What is
    /// written is audited.
    private func record(_ sighting: Sighting, snapshotId: String?, by actor: Principal) async throws
        -> DetectionReceipt?
    {
        let (camera, videoClass) = (sighting.camera, sighting.videoClass)
        let now = platform.now()
        let audit = { (action: String, receipt: DetectionReceipt) in
            (receipt.id, "\(camera.code) \(videoClass.code) \(action) → \(receipt.state.rawValue)")
        }
        let (receipt, published) = try await platform.pool.transaction {
            db -> (DetectionReceipt?, [SequencedEvent]) in
            if platform.pool.backend == .postgres {
                // One camera's sightings of a class one at a time, so two first sightings cannot both start one.
                try await db.raw(
                    "SELECT pg_advisory_xact_lock(hashtext(\(bind: "video:" + camera.id + ":" + videoClass.code)))"
                ).run()
            }
            let recent = try await videos.recent(
                cameraId: camera.id, classCode: videoClass.code, around: sighting.at, window: folding.windowMillis,
                on: db)
            if let target = folding.target(
                camera: camera.id, classCode: videoClass.code, box: sighting.box, at: sighting.at, among: recent)
            {
                let folded = DetectionFolding.fold(
                    target, confidence: sighting.confidence, at: sighting.at, threshold: videoClass.threshold)
                let receipt = try await platform.audited(
                    actor, "video.sighting", target: "video_detection", summary: { audit("folded", $0) }, at: now,
                    on: db
                ) {
                    try await videos.update(folded, on: db)
                    return DetectionReceipt(
                        id: folded.id, state: folded.state, sightings: folded.sightings, folded: true)
                }
                // Only a detection that comes up for review is news to the review queues.
                let promoted = folded.state == .pending && target.state == .suppressed
                return (receipt, promoted ? try await EventOutbox().append([.detection(folded)], at: now, on: db) : [])
            }
            guard let snapshotId else { return (nil, []) }
            let detection = Detection(
                id: Identifier.make(at: now), cameraId: camera.id, cameraCode: camera.code,
                classCode: videoClass.code, confidence: sighting.confidence, box: sighting.box,
                snapshotId: snapshotId, detectedAt: sighting.at,
                state: DetectionFolding.initialState(confidence: sighting.confidence, threshold: videoClass.threshold),
                lon: camera.lon, lat: camera.lat, gridCellId: camera.gridCellId, areaPath: camera.areaPath,
                fields: sighting.fields)
            let receipt = try await platform.audited(
                actor, "video.detect", target: "video_detection", summary: { audit("detected", $0) }, at: now, on: db
            ) {
                try await videos.insert(detection, on: db)
                return DetectionReceipt(id: detection.id, state: detection.state, sightings: 1, folded: false)
            }
            let pending = detection.state == .pending
            return (receipt, pending ? try await EventOutbox().append([.detection(detection)], at: now, on: db) : [])
        }
        platform.monitoring.events.committed(published)
        return receipt
    }
}
