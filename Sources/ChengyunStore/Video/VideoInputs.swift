import ChengyunCore
import Foundation

/// One detection from an external video-AI system (any vendor): which camera saw what, when,
/// how sure it is, where in the picture, and the snapshot itself (base64 JPEG, PNG or WebP).
public struct NewDetection: StrictInput {
    public var cameraCode: String
    public var classCode: String
    public var detectedAt: Int64
    public var confidence: Double
    public var box: SnapshotBox
    public var snapshot: String
    /// What the detector read off the scene, e.g. `plate_number`: the case's custom fields.
    public var fields: [String: String]?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case cameraCode, classCode, detectedAt, confidence, box, snapshot, fields
    }
    public typealias Fields = CodingKeys

    public init(
        cameraCode: String, classCode: String, detectedAt: Int64, confidence: Double, box: SnapshotBox,
        snapshot: String, fields: [String: String]? = nil
    ) {
        (self.cameraCode, self.classCode, self.detectedAt, self.confidence) = (
            cameraCode, classCode, detectedAt, confidence
        )
        (self.box, self.snapshot, self.fields) = (box, snapshot, fields)
    }

    /// The largest snapshot accepted, decoded.
    public static let maxSnapshotBytes = 1_048_576
}

/// What the sending system is told: the detection it became part of, never a case or a person.
public struct DetectionReceipt: Codable, Equatable, Sendable {
    public var id: String
    public var state: DetectionState
    public var sightings: Int
    /// Whether this sighting folded into an earlier one (its snapshot was not kept).
    public var folded: Bool

    public init(id: String, state: DetectionState, sightings: Int, folded: Bool) {
        (self.id, self.state, self.sightings, self.folded) = (id, state, sightings, folded)
    }
}

/// The reviewer's yes (事件审核通过): becomes a case of the class's matter.
public struct DetectionAcceptInput: StrictInput {
    public var note: String?
    /// Fields the reviewer read off the snapshot (a plate), over the detector's.
    public var customFields: [String: String]?

    public enum CodingKeys: String, CodingKey, CaseIterable { case note, customFields }
    public typealias Fields = CodingKeys

    public init(note: String? = nil, customFields: [String: String]? = nil) {
        (self.note, self.customFields) = (note, customFields)
    }
}

/// The reviewer's no, and why.
public struct DetectionDiscardInput: StrictInput {
    public var reason: DiscardReason
    public var note: String?

    public enum CodingKeys: String, CodingKey, CaseIterable { case reason, note }
    public typealias Fields = CodingKeys

    public init(reason: DiscardReason, note: String? = nil) { (self.reason, self.note) = (reason, note) }
}

/// An administrator's threshold for one class.
public struct VideoThresholdInput: StrictInput {
    public var threshold: Double

    public enum CodingKeys: String, CodingKey, CaseIterable { case threshold }
    public typealias Fields = CodingKeys

    public init(threshold: Double) { self.threshold = threshold }
}

extension CameraView: StrictInput {
    public enum Fields: String, CodingKey, CaseIterable { case heading, angle, range }
}

/// A class as administrators see it: the catalogue's entry with the threshold in force, and
/// what review says of it.
public struct VideoClassStatus: Codable, Equatable, Sendable {
    public var videoClass: VideoClass
    public var defaultThreshold: Double
    public var review: VideoClassReview

    public init(videoClass: VideoClass, defaultThreshold: Double, review: VideoClassReview) {
        (self.videoClass, self.defaultThreshold, self.review) = (videoClass, defaultThreshold, review)
    }
}

/// A registered camera with its view (nil until set).
public struct Camera: Codable, Equatable, Sendable {
    public var device: Device
    public var view: CameraView?

    public init(device: Device, view: CameraView?) { (self.device, self.view) = (device, view) }
}
