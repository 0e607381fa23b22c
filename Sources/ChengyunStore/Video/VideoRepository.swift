import ChengyunCore
import Foundation
import SQLKit

/// Detections, camera views and class thresholds (migration 039).
public struct VideoRepository: Sendable {
    public init() {}

    struct Row: Codable {
        var id: String, cameraId: String, cameraCode: String, classCode: String, confidence: Double
        var boxX: Double, boxY: Double, boxWidth: Double, boxHeight: Double
        var snapshotId: String, detectedAt: Int64, lastDetectedAt: Int64, sightings: Int, state: DetectionState
        var lon: Double, lat: Double, gridCellId: String?, areaPath: String, fields: String?
        var caseId: String?, discardReason: DiscardReason?, note: String?, reviewedBy: String?, reviewedAt: Int64?

        init(_ d: Detection) throws {
            (id, cameraId, cameraCode, classCode, confidence) = (
                d.id, d.cameraId, d.cameraCode, d.classCode, d.confidence
            )
            (boxX, boxY, boxWidth, boxHeight) = (d.box.x, d.box.y, d.box.width, d.box.height)
            (snapshotId, detectedAt, lastDetectedAt, sightings) = (
                d.snapshotId, d.detectedAt, d.lastDetectedAt, d.sightings
            )
            (state, lon, lat, gridCellId, areaPath) = (d.state, d.lon, d.lat, d.gridCellId, d.areaPath)
            fields = try d.fields.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            (caseId, discardReason, note, reviewedBy, reviewedAt) = (
                d.caseId, d.discardReason, d.note, d.reviewedBy, d.reviewedAt
            )
        }

        func detection() throws -> Detection {
            var d = Detection(
                id: id, cameraId: cameraId, cameraCode: cameraCode, classCode: classCode, confidence: confidence,
                box: SnapshotBox(x: boxX, y: boxY, width: boxWidth, height: boxHeight), snapshotId: snapshotId,
                detectedAt: detectedAt, state: state, lon: lon, lat: lat, gridCellId: gridCellId, areaPath: areaPath,
                fields: try fields.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) })
            (d.lastDetectedAt, d.sightings, d.caseId, d.discardReason) = (
                lastDetectedAt, sightings, caseId, discardReason
            )
            (d.note, d.reviewedBy, d.reviewedAt) = (note, reviewedBy, reviewedAt)
            return d
        }
    }

    func insert(_ detection: Detection, on db: any SQLDatabase) async throws {
        try await db.insert(into: "video_detections").model(try Row(detection), with: rowEncoder).run()
    }

    func update(_ detection: Detection, on db: any SQLDatabase) async throws {
        try await db.update("video_detections").set(model: try Row(detection), with: rowEncoder)
            .where("id", .equal, detection.id).run()
    }

    /// A detection; `locking` it (PostgreSQL: `FOR UPDATE`) holds back a review or a fold of the
    /// same row until this transaction ends, so neither writes over the other.
    func find(id: String, locking: Bool = false, on db: any SQLDatabase) async throws -> Detection? {
        let query = db.select().column("*").from("video_detections").where("id", .equal, id)
        if locking, db.dialect.name == "postgresql" { query.for(.update) }
        return try await query.first(decoding: Row.self, with: rowDecoder)?.detection()
    }

    /// One camera's sightings of a class last seen within `window` of `time`, the latest first:
    /// what a new sighting may fold into. Locked like `find(id:locking:)`.
    func recent(cameraId: String, classCode: String, around time: Int64, window: Int64, on db: any SQLDatabase)
        async throws -> [Detection]
    {
        let query = db.select().column("*").from("video_detections").where("camera_id", .equal, cameraId)
            .where("class_code", .equal, classCode).where("last_detected_at", .greaterThanOrEqual, time - window)
            .where("detected_at", .lessThanOrEqual, time + window).orderBy("last_detected_at", .descending).limit(50)
        if db.dialect.name == "postgresql" { query.for(.update) }
        return try await query.all(decoding: Row.self, with: rowDecoder).map { try $0.detection() }
    }

    /// Detections in a state within a scope, the oldest first (the review queue) or newest first.
    func list(
        state: DetectionState, under areaPath: String?, classCode: String?, oldestFirst: Bool, limit: Int,
        on db: any SQLDatabase
    ) async throws -> [Detection] {
        let query = db.select().column("*").from("video_detections").where("state", .equal, state.rawValue)
            .inScope(areaPath)
        if let classCode { query.where("class_code", .equal, classCode) }
        return try await query.orderBy("detected_at", oldestFirst ? .ascending : .descending).limit(limit)
            .all(decoding: Row.self, with: rowDecoder).map { try $0.detection() }
    }

    /// How many detections of each class are in each state, within a scope.
    func counts(under areaPath: String?, on db: any SQLDatabase) async throws -> [String: [DetectionState: Int]] {
        let rows = try await db.select().column("class_code").column("state")
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from("video_detections").inScope(areaPath).groupBy("class_code").groupBy("state").all()
        var counts: [String: [DetectionState: Int]] = [:]
        for row in rows {
            guard let state = DetectionState(rawValue: try row.decode(column: "state", as: String.self)) else {
                continue
            }
            counts[try row.decode(column: "class_code", as: String.self), default: [:]][state] =
                try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// The reviewed detections of the last `since` of every class: confidence and verdict.
    func verdicts(since: Int64, under areaPath: String?, on db: any SQLDatabase) async throws -> [String:
        [VideoClassReview.Verdict]]
    {
        let rows = try await db.select().columns("class_code", "confidence", "state", "discard_reason")
            .from("video_detections").where(
                "state", .in, [DetectionState.accepted.rawValue, DetectionState.discarded.rawValue]
            )
            .where("reviewed_at", .greaterThanOrEqual, since).inScope(areaPath).all()
        var verdicts: [String: [VideoClassReview.Verdict]] = [:]
        for row in rows {
            let accepted = try row.decode(column: "state", as: String.self) == DetectionState.accepted.rawValue
            let reason = try row.decode(column: "discard_reason", as: String?.self).flatMap(
                DiscardReason.init(rawValue:))
            verdicts[try row.decode(column: "class_code", as: String.self), default: []].append(
                VideoClassReview.Verdict(
                    confidence: try row.decode(column: "confidence", as: Double.self),
                    right: accepted || reason?.detectionWasRight == true))
        }
        return verdicts
    }

    // MARK: Camera views

    func setView(_ view: CameraView, deviceId: String, at now: Int64, on db: any SQLDatabase) async throws {
        try await db.insert(into: "camera_views").columns(
            "device_id", "heading", "view_angle", "view_range", "updated_at"
        )
        .values(SQLBind(deviceId), SQLBind(view.heading), SQLBind(view.angle), SQLBind(view.range), SQLBind(now))
        .onConflict(with: ["device_id"]) {
            $0.set(excludedValueOf: "heading").set(excludedValueOf: "view_angle")
                .set(excludedValueOf: "view_range").set(excludedValueOf: "updated_at")
        }.run()
    }

    func views(on db: any SQLDatabase) async throws -> [String: CameraView] {
        var views: [String: CameraView] = [:]
        for row in try await db.select().column("*").from("camera_views").all() {
            views[try row.decode(column: "device_id", as: String.self)] = CameraView(
                heading: try row.decode(column: "heading", as: Double.self),
                angle: try row.decode(column: "view_angle", as: Double.self),
                range: try row.decode(column: "view_range", as: Double.self))
        }
        return views
    }

    // MARK: Thresholds

    func thresholds(on db: any SQLDatabase) async throws -> [String: Double] {
        var thresholds: [String: Double] = [:]
        for row in try await db.select().columns("class_code", "threshold").from("video_class_settings").all() {
            thresholds[try row.decode(column: "class_code", as: String.self)] = try row.decode(
                column: "threshold", as: Double.self)
        }
        return thresholds
    }

    func setThreshold(_ threshold: Double, classCode: String, by actor: String, at now: Int64, on db: any SQLDatabase)
        async throws
    {
        try await db.insert(into: "video_class_settings").columns("class_code", "threshold", "updated_at", "updated_by")
            .values(SQLBind(classCode), SQLBind(threshold), SQLBind(now), SQLBind(actor))
            .onConflict(with: ["class_code"]) {
                $0.set(excludedValueOf: "threshold").set(excludedValueOf: "updated_at").set(
                    excludedValueOf: "updated_by")
            }.run()
    }

    /// Whether any device is bound to the key: such a key feeds its own devices only.
    func keyIsBound(_ keyId: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.select().column("id").from("devices").where("api_key_id", .equal, keyId).limit(1).first() != nil
    }

    /// The cameras (devices of kind `camera`) within a scope.
    func cameras(under areaPath: String?, on db: any SQLDatabase) async throws -> [Device] {
        try await db.select().column("*").from("devices").where("kind_code", .equal, "camera").inScope(areaPath)
            .orderBy("code").all(decoding: DeviceRepository.Row.self, with: rowDecoder).map(\.device)
    }
}
