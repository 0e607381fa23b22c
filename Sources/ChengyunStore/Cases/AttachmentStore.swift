import ChengyunCore
import Crypto
import Foundation
import SQLKit

/// Uploaded files: bytes in a content-addressed directory (`ab/abcdef…`), metadata in the
/// database. A file is written to a temporary name, flushed to disk and renamed, so an answered
/// upload survives a crash and a half-written file is never visible.
public struct AttachmentStore: Sendable {
    let platform: Platform
    var directory: String { platform.settings.attachmentDirectory }

    public func save(_ bytes: [UInt8], declaredType: String?, name: String, by actor: Principal) async throws -> Attachment {
        let policy = platform.settings.attachments
        guard bytes.count <= policy.maxBytes else {
            throw DomainError(.tooLarge, code: "file_too_large", "A file may be at most \(policy.maxBytes / 1_048_576) MB.")
        }
        guard !bytes.isEmpty else {
            throw DomainError.validation([FieldIssue(field: "file", code: "empty_file", message: "The file is empty.")])
        }
        guard let type = AttachmentPolicy.sniff(bytes), policy.allowedTypes.contains(type) else {
            throw DomainError.validation([FieldIssue(field: "file", code: "unsupported_type",
                                                     message: "Upload \(policy.allowedTypes.joined(separator: ", ")).")])
        }
        if let declaredType, !declaredType.isEmpty, declaredType.lowercased() != type, declaredType != "application/octet-stream" {
            throw DomainError.validation([FieldIssue(field: "file", code: "type_mismatch",
                                                     message: "The file is \(type), not \(declaredType).")])
        }
        let id = Hex.string(SHA256.hash(data: bytes))
        try write(bytes, to: path(of: id))
        let attachment = Attachment(id: id, contentType: type, size: bytes.count, name: String(name.prefix(200)),
                                    createdAt: platform.now(), createdBy: actor.id)
        return try await platform.write(actor, "attachment.upload", target: "attachment", summary: { ($0.id, "\($0.contentType) \($0.size) bytes") }) { db in
            if let existing = try await find(id: id, on: db) { return existing }
            try await db.insert(into: "attachments").model(attachment, with: rowEncoder).run()
            return attachment
        }
    }

    func path(of id: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(String(id.prefix(2))).appendingPathComponent(id).path
    }

    private func write(_ bytes: [UInt8], to path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: path) { return }
        let temporary = path + ".part-" + Identifier.make()
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        try handle.write(contentsOf: bytes)
        try handle.synchronize()
        try handle.close()
        if rename(temporary, path) != 0 { throw CocoaError(.fileWriteUnknown) }
        // Make the new name itself durable.
        let directory = open(folder, O_RDONLY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> Attachment? {
        try await db.select().column("*").from("attachments").where("id", .equal, id).first(decoding: Attachment.self, with: rowDecoder)
    }

    /// Links uploads to a case, with the step they came with.
    func link(_ ids: [String], to caseId: String, phase: AttachmentPhase, eventSeq: Int, on db: any SQLDatabase) async throws {
        for (index, id) in ids.enumerated() {
            guard try await find(id: id, on: db) != nil else {
                throw DomainError.validation([FieldIssue(field: "attachments[\(index)]", code: "unknown_attachment",
                                                         message: "Upload the file first (POST /api/v1/attachments).")])
            }
            let linked = try await db.select().column("attachment_id").from("case_attachments").where("case_id", .equal, caseId)
                .where("attachment_id", .equal, id).first() != nil
            if !linked {
                try await db.insert(into: "case_attachments").columns("case_id", "attachment_id", "phase", "event_seq")
                    .values(SQLBind(caseId), SQLBind(id), SQLBind(phase.rawValue), SQLBind(eventSeq)).run()
            }
        }
    }

    public func attachments(of caseId: String, on db: any SQLDatabase) async throws -> [CaseAttachment] {
        let rows = try await db.select().column("*").from("case_attachments").where("case_id", .equal, caseId).orderBy("event_seq").all()
        var result: [CaseAttachment] = []
        for row in rows {
            guard let attachment = try await find(id: try row.decode(column: "attachment_id", as: String.self), on: db) else { continue }
            result.append(CaseAttachment(caseId: caseId, attachment: attachment,
                                         phase: AttachmentPhase(rawValue: try row.decode(column: "phase", as: String.self)) ?? .other,
                                         eventSeq: try row.decode(column: "event_seq", as: Int.self)))
        }
        return result
    }

    /// The bytes of an attachment of a case the caller may see.
    public func read(caseId: String, attachmentId: String, by actor: Principal) async throws -> (Attachment, Data) {
        let attachment = try await platform.pool.read { db -> Attachment in
            guard let record = try await CaseRepository().find(id: caseId, on: db) else { throw DomainError.notFound("Case") }
            try CaseService(platform: platform).requireVisible(record, to: actor)
            guard try await db.select().column("attachment_id").from("case_attachments").where("case_id", .equal, caseId)
                .where("attachment_id", .equal, attachmentId).first() != nil,
                let attachment = try await find(id: attachmentId, on: db) else { throw DomainError.notFound("Attachment") }
            return attachment
        }
        return (attachment, try Data(contentsOf: URL(fileURLWithPath: path(of: attachment.id))))
    }
}
