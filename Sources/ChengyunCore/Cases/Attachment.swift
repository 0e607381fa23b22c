/// A stored file, named by the SHA-256 of its bytes: the same photo uploaded twice is stored once.
public struct Attachment: Codable, Equatable, Sendable {
    public var id: String
    public var contentType: String
    public var size: Int
    public var name: String
    public var createdAt: Int64
    public var createdBy: String

    public init(id: String, contentType: String, size: Int, name: String, createdAt: Int64, createdBy: String) {
        self.id = id
        self.contentType = contentType
        self.size = size
        self.name = name
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// Where on the case an attachment belongs: the reported problem, the finished work, a check.
public enum AttachmentPhase: String, Codable, Sendable {
    case before, after, check, other

    public init(action: String) {
        switch action {
        case "report", "verify": self = .before
        case "complete": self = .after
        case "pass", "fail": self = .check
        default: self = .other
        }
    }
}

/// A case's attachment with the step it came with.
public struct CaseAttachment: Codable, Equatable, Sendable {
    public var caseId: String
    public var attachment: Attachment
    public var phase: AttachmentPhase
    public var eventSeq: Int

    public init(caseId: String, attachment: Attachment, phase: AttachmentPhase, eventSeq: Int) {
        self.caseId = caseId
        self.attachment = attachment
        self.phase = phase
        self.eventSeq = eventSeq
    }
}

/// What may be uploaded: photos, short videos and documents, up to a size. Configurable.
public struct AttachmentPolicy: Codable, Equatable, Sendable {
    public var maxBytes: Int
    public var allowedTypes: [String]
    /// What one person may upload in any 24 hours.
    public var dailyQuotaBytes: Int = 200 * 1024 * 1024
    /// What one machine key may upload in any 24 hours (a video platform's snapshots for an
    /// area's cameras): more than a person, still bounded.
    public var dailyKeyQuotaBytes: Int = 4 * 1024 * 1024 * 1024
    /// Files linked to no case this long after their last upload are removed.
    public var unlinkedMillis: Int64 = 24 * 3_600_000

    public init(
        maxBytes: Int = 10 * 1024 * 1024,
        allowedTypes: [String] = ["image/jpeg", "image/png", "image/webp", "application/pdf", "video/mp4"]
    ) {
        self.maxBytes = maxBytes
        self.allowedTypes = allowedTypes
    }

    /// The type the bytes themselves say they are (magic numbers), so a script sent as a photo
    /// is refused whatever it claims.
    public static func sniff(_ bytes: some Collection<UInt8>) -> String? {
        let head = Array(bytes.prefix(12))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        if head.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if head.count >= 8, Array(head[4..<8]) == Array("ftyp".utf8) { return "video/mp4" }
        return nil
    }
}
