import ChengyunCore
import Foundation
import SQLKit

/// Review (事件审核), the class figures administrators tune by, and the cameras' views.
extension VideoService {
    /// Detections in a state within the caller's scope: the review queue is `pending`, oldest first.
    public func detections(state: DetectionState, classCode: String?, limit: Int, by actor: Principal) async throws
        -> [Detection]
    {
        try await platform.pool.read { db in
            try await videos.list(
                state: state, under: actor.listScope, classCode: classCode, oldestFirst: state == .pending,
                limit: min(max(limit, 1), PageRequest.maxLimit), on: db)
        }
    }

    public func detection(id: String, by actor: Principal) async throws -> Detection {
        try await platform.pool.read { try await visible(id, to: actor, on: $0) }
    }

    /// The snapshot of a detection the caller may see.
    public func snapshot(id: String, by actor: Principal) async throws -> (Attachment, Data) {
        let attachment = try await platform.pool.read { db -> Attachment in
            let detection = try await visible(id, to: actor, on: db)
            guard let attachment = try await platform.files.find(id: detection.snapshotId, on: db) else {
                throw DomainError.notFound("Snapshot")
            }
            return attachment
        }
        return (attachment, try Data(contentsOf: URL(fileURLWithPath: platform.files.path(of: attachment.id))))
    }

    /// Accepts a detection: reported as a case of the class's matter through the machine
    /// channel (a duplicate merges as any report does), with the snapshot as its evidence, and
    /// accepted by the reviewer in the same transaction — the review was the acceptance.
    public func accept(id: String, _ input: DetectionAcceptInput, by actor: Principal) async throws -> Detection {
        var validator = Validator()
        validator.check((input.note ?? "").count <= 500, "note", "too_long", "At most 500 characters.")
        try validator.finish()
        return try await publishing(
            actor, "video.accept", summary: { ($0.id, "case \($0.caseId ?? "")") }
        ) { db in
            var detection = try await reviewable(id, by: actor, on: db)
            guard let videoClass = try await classes(on: db).first(where: { $0.code == detection.classCode }) else {
                throw DomainError(.conflict, code: "unknown_class", "The detection's class is no longer shipped.")
            }
            var fields = videoClass.caseFields ?? [:]
            fields.merge(detection.fields ?? [:]) { $1 }
            fields.merge(input.customFields ?? [:]) { $1 }
            var report = NewReport(
                matterCode: videoClass.matterCode,
                description: "【视频智能分析 / video AI】\(videoClass.name) (\(videoClass.nameEn))："
                    + "摄像机 \(detection.cameraCode)，置信度 \(String(format: "%.2f", detection.confidence))，"
                    + "\(detection.sightings) 次抓拍，\(EpochMillis.iso8601(detection.detectedAt))"
                    + (input.note.map { "。\($0)" } ?? ""),
                lon: detection.lon, lat: detection.lat, customFields: fields.isEmpty ? nil : fields, source: .machine,
                reporterName: "视频智能分析 \(detection.cameraCode)")
            report.attachments = [detection.snapshotId]
            let outcome = try await platform.cases.report(report, by: .system, on: db)
            let caseId = outcome.mergedInto?.id ?? outcome.case.id
            if outcome.mergedInto == nil, outcome.case.state == .reported {
                _ = try await platform.cases.apply(
                    CaseActionInput(.accept, note: "视频审核通过 / accepted at video review"),
                    to: try await platform.cases.snapshot(of: caseId, on: db), by: actor, on: db)
            }
            detection.caseId = caseId
            return try await close(detection, as: .accepted, note: input.note, by: actor, on: db)
        }
    }

    public func discard(id: String, _ input: DetectionDiscardInput, by actor: Principal) async throws -> Detection {
        var validator = Validator()
        validator.check((input.note ?? "").count <= 500, "note", "too_long", "At most 500 characters.")
        validator.check(
            input.reason != .other || !(input.note ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "note",
            "required", "Say why when the reason is other.")
        try validator.finish()
        return try await publishing(
            actor, "video.discard", summary: { ($0.id, $0.discardReason?.rawValue ?? "") }
        ) { db in
            var detection = try await reviewable(id, by: actor, on: db)
            detection.discardReason = input.reason
            return try await close(detection, as: .discarded, note: input.note, by: actor, on: db)
        }
    }

    /// A review, audited, whose outcome goes to the other reviewers' queues once committed.
    private func publishing(
        _ actor: Principal, _ action: String, summary: (Detection) -> (id: String, text: String),
        _ body: @escaping (any SQLDatabase) async throws -> Detection
    ) async throws -> Detection {
        let (detection, published) = try await platform.write(
            actor, action, target: "video_detection", summary: { summary($0.0) }
        ) { db in
            let detection = try await body(db)
            return (detection, try await EventOutbox().append([.detection(detection)], at: platform.now(), on: db))
        }
        platform.monitoring.events.committed(published)
        return detection
    }

    /// Records the review on the detection.
    private func close(
        _ detection: Detection, as state: DetectionState, note: String?, by actor: Principal, on db: any SQLDatabase
    ) async throws -> Detection {
        var reviewed = detection
        reviewed.state = state
        (reviewed.note, reviewed.reviewedBy, reviewed.reviewedAt) = (note, actor.id, platform.now())
        try await videos.update(reviewed, on: db)
        return reviewed
    }

    private func visible(_ id: String, to actor: Principal, on db: any SQLDatabase) async throws -> Detection {
        guard let detection = try await videos.find(id: id, on: db), actor.canSee(path: detection.areaPath) else {
            throw DomainError.notFound("Detection")
        }
        return detection
    }

    /// A detection still to review: pending, or below threshold (a reviewer may take one up).
    /// Locked until the review commits, so a second review or a fold waits and then sees it.
    private func reviewable(_ id: String, by actor: Principal, on db: any SQLDatabase) async throws -> Detection {
        guard let detection = try await videos.find(id: id, locking: true, on: db),
            actor.canSee(path: detection.areaPath)
        else { throw DomainError.notFound("Detection") }
        guard detection.state == .pending || detection.state == .suppressed else {
            throw DomainError(.conflict, code: "already_reviewed", "This detection was \(detection.state.rawValue).")
        }
        return detection
    }

    // MARK: Classes

    /// Every class with its threshold and what review of the last 90 days says of it, in the
    /// caller's scope.
    public func classStatus(by actor: Principal) async throws -> [VideoClassStatus] {
        let since = platform.now() - 90 * 86_400_000
        let shipped = try Self.shippedClasses()
        return try await platform.pool.read { db in
            let (current, counts) = (try await classes(on: db), try await videos.counts(under: actor.listScope, on: db))
            let verdicts = try await videos.verdicts(since: since, under: actor.listScope, on: db)
            return zip(current, shipped).map { item, original in
                let count = counts[item.code] ?? [:]
                return VideoClassStatus(
                    videoClass: item, defaultThreshold: original.threshold,
                    review: VideoClassReview(
                        classCode: item.code, threshold: item.threshold, pending: count[.pending] ?? 0,
                        suppressed: count[.suppressed] ?? 0, accepted: count[.accepted] ?? 0,
                        discarded: count[.discarded] ?? 0, verdicts: verdicts[item.code] ?? []))
            }
        }
    }

    /// Sets one class's threshold (city-wide): new detections are judged by it.
    public func setThreshold(classCode: String, _ input: VideoThresholdInput, by actor: Principal) async throws
        -> VideoClass
    {
        var validator = Validator()
        validator.check(
            input.threshold.isFinite && (0.05...0.99).contains(input.threshold), "threshold", "invalid_value",
            "A threshold from 0.05 to 0.99.")
        try validator.finish()
        return try await platform.write(
            actor, "video.threshold", target: "video_class", summary: { ($0.code, "threshold \($0.threshold)") }
        ) { db in
            guard var item = try await classes(on: db).first(where: { $0.code == classCode }) else {
                throw DomainError.notFound("Video class")
            }
            try await videos.setThreshold(
                input.threshold, classCode: classCode, by: actor.id, at: platform.now(), on: db)
            item.threshold = input.threshold
            return item
        }
    }

    // MARK: Cameras

    /// The cameras in the caller's scope with their views.
    public func cameras(by actor: Principal) async throws -> [Camera] {
        try await platform.pool.read { db in
            let views = try await videos.views(on: db)
            return try await videos.cameras(under: actor.listScope, on: db).map {
                Camera(device: $0, view: views[$0.id])
            }
        }
    }

    /// Sets where a camera looks (监控点位).
    public func setView(deviceId: String, _ view: CameraView, by actor: Principal) async throws -> Camera {
        var validator = Validator()
        validator.check(
            view.isValid, "heading", "invalid_view",
            "Heading 0–360° (north 0, clockwise), angle 1–360°, range up to 2,000 m.")
        try validator.finish()
        return try await platform.write(
            actor, "camera.view", target: "device", summary: { ($0.device.id, "heading \($0.view?.heading ?? 0)") }
        ) { db in
            guard let device = try await DeviceRepository().find(id: deviceId, on: db), device.kindCode == "camera",
                actor.canSee(path: device.areaPath)
            else { throw DomainError.notFound("Camera") }
            try await videos.setView(view, deviceId: device.id, at: platform.now(), on: db)
            return Camera(device: device, view: view)
        }
    }
}
