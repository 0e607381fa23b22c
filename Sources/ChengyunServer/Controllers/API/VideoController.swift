import ChengyunCore
import ChengyunStore
import Hummingbird

/// The video-AI channel (视频智能分析): detections in from any external system, the review
/// queue (事件审核), the class thresholds administrators tune, and the cameras' views.
struct VideoController {
    let platform: Platform

    /// Who reviews: the intake operators; shift supervisors and leaders may look on.
    static let reviewers = Access.staff([.intake])
    static let readers = Access.staff([.intake, .supervisor, .leader, .admin])

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .post, "video/detections", .key(.telemetryWrite),
            RouteDoc(
                "Send one detection from a video-AI system (key with scope telemetry:write; a camera bound to a key takes only that key's, else any key whose area holds it): camera, time, class, confidence, box and the snapshot as base64 (JPEG, PNG or WebP, at most 1 MB). A repeat of the same thing (same camera and class, overlapping box, within 30 minutes of its last sighting) folds into its detection and its snapshot is not kept. Below the class's threshold a detection is recorded but not put to review. The answer names the detection only.",
                .monitoring, body: .json(NewDetection.self),
                outcome: "Recorded (folded says whether into an earlier one)",
                answers: [
                    .problem(
                        422,
                        "unknown_camera (none this key may feed), unknown_class, invalid_box, invalid_time, invalid_snapshot, unsupported_type, unknown_field (not a field of the class's matter)"
                    ),
                    .problem(
                        413, "upload_quota_exceeded: the key's daily upload quota (attachments.dailyKeyQuotaMegabytes)"),
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewDetection.self, context: context)
            return JSONBody(try await platform.video.ingest(input, by: principal))
        }
        routes.on(
            .get, "video/detections", Self.readers,
            RouteDoc(
                "Detections in the caller's scope: the review queue is state=pending (the default), oldest first",
                .cases,
                parameters: [
                    .query("state", .named(DetectionState.self)), .query("class", .string, "a video class code"),
                    .limit,
                ])
        ) { request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.video.detections(
                        state: try request.queryEnum("state", DetectionState.self) ?? .pending,
                        classCode: request.query("class"), limit: try request.pageRequest().limit,
                        by: principal)))
        }
        routes.on(
            .get, "video/detections/{id}", Self.readers,
            RouteDoc("Read a detection", .cases, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.video.detection(id: try context.id(), by: principal))
        }
        routes.on(
            .get, "video/detections/{id}/snapshot", Self.readers,
            RouteDoc(
                "A detection's snapshot (the picture; its box is in the detection, in fractions of width and height)",
                .cases, success: .ok(.binary, "The picture"), alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            let (attachment, data) = try await platform.video.snapshot(id: try context.id(), by: principal)
            return AttachmentsController.file(attachment, data)
        }
        routes.on(
            .post, "video/detections/{id}/accept", Self.reviewers,
            RouteDoc(
                "Accept a detection (事件审核通过): reported as a case of the class's matter with the snapshot as its evidence, and accepted by the reviewer; a duplicate of an open case merges into it",
                .cases, body: .json(DetectionAcceptInput.self),
                answers: [.problem(409, "already_reviewed; concurrent_update")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(DetectionAcceptInput.self, context: context)
            return JSONBody(try await platform.video.accept(id: try context.id(), input, by: principal))
        }
        routes.on(
            .post, "video/detections/{id}/discard", Self.reviewers,
            RouteDoc(
                "Discard a detection with a reason: false_detection and not_violation count against the class's precision, duplicate and already_handled do not",
                .cases, body: .json(DetectionDiscardInput.self), answers: [.problem(409, "already_reviewed")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(DetectionDiscardInput.self, context: context)
            return JSONBody(try await platform.video.discard(id: try context.id(), input, by: principal))
        }
        routes.on(
            .get, "video/classes", Self.readers,
            RouteDoc(
                "The violation classes (the twelve of seed 003 shipped) with the threshold in force and, in the caller's scope, the detections by state, the review precision of the last 90 days and the lowest threshold that would have kept it at 0.9",
                .monitoring)
        ) { _, _, principal in
            JSONBody(Listing(items: try await platform.video.classStatus(by: principal)))
        }
        routes.on(
            .put, "video/classes/{code}", .platformAdmin,
            RouteDoc(
                "Set a class's confidence threshold (0.05–0.99): new detections below it are recorded, not reviewed",
                .monitoring, parameters: [.path("code", "video class code, e.g. illegal_parking")],
                body: .json(VideoThresholdInput.self))
        ) { request, context, principal in
            let input = try await request.decodeStrict(VideoThresholdInput.self, context: context)
            return JSONBody(
                try await platform.video.setThreshold(
                    classCode: try context.parameters.require("code"), input, by: principal))
        }
        routes.on(
            .get, "video/cameras", .allStaff,
            RouteDoc("Cameras (devices of kind camera) in the caller's scope, with their views", .monitoring)
        ) { _, _, principal in
            JSONBody(Listing(items: try await platform.video.cameras(by: principal)))
        }
        routes.on(
            .put, "video/cameras/{id}/view", .admin,
            RouteDoc(
                "Set where a camera looks: heading (degrees from north, clockwise), horizontal angle and range in metres",
                .monitoring, body: .json(CameraView.self), alsoShared: [.validationFailed, .badRequest])
        ) { request, context, principal in
            let view = try await request.decodeStrict(CameraView.self, context: context)
            return JSONBody(try await platform.video.setView(deviceId: try context.id(), view, by: principal))
        }
        return routes
    }
}
