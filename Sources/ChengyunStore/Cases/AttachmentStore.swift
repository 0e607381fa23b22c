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

    /// Where uploads are written while they arrive, beside the store (one file system, so a
    /// finished upload moves into place by renaming).
    public var spoolDirectory: String { directory + "/.spool" }

    public var maxMegabytes: Int { platform.settings.attachments.maxBytes / 1_048_576 }

    /// A new spool file for one uploaded file, limited to the policy's size.
    public func spool(name: String, declaredType: String?) throws -> SpooledFile {
        try SpooledFile(
            directory: spoolDirectory, name: name, declaredType: declaredType,
            limit: platform.settings.attachments.maxBytes)
    }

    /// Stores bytes already in memory (imports, tests) through the same checks as a streamed upload.
    public func save(_ bytes: [UInt8], declaredType: String?, name: String, by actor: Principal) async throws
        -> Attachment
    {
        let file = try spool(name: name, declaredType: declaredType)
        try file.write(bytes)
        return try await save(file, by: actor)
    }

    /// Checks a spooled upload (size, type by its own bytes, quota), moves it into the
    /// content-addressed store and records it. The spool file is gone afterwards either way.
    public func save(_ file: SpooledFile, by actor: Principal) async throws -> Attachment {
        let policy = platform.settings.attachments
        let id: String
        do { id = try file.finish() } catch {
            file.discard()
            throw error
        }
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        guard !file.tooLarge else {
            throw DomainError(
                .tooLarge, code: "file_too_large", "A file may be at most \(policy.maxBytes / 1_048_576) MB.")
        }
        guard file.size > 0 else {
            throw DomainError.validation([FieldIssue(field: "file", code: "empty_file", message: "The file is empty.")])
        }
        guard let type = AttachmentPolicy.sniff(file.head), policy.allowedTypes.contains(type) else {
            throw DomainError.validation([
                FieldIssue(
                    field: "file", code: "unsupported_type",
                    message: "Upload \(policy.allowedTypes.joined(separator: ", ")).")
            ])
        }
        if let declaredType = file.declaredType, !declaredType.isEmpty, declaredType.lowercased() != type,
            declaredType != "application/octet-stream"
        {
            throw DomainError.validation([
                FieldIssue(
                    field: "file", code: "type_mismatch",
                    message: "The file is \(type), not \(declaredType).")
            ])
        }
        let size = file.size
        let attachment = Attachment(
            id: id, contentType: type, size: size, name: String(file.name.prefix(200)),
            createdAt: platform.now(), createdBy: actor.id)
        do {
            return try await record(attachment, from: file.path, by: actor)
        } catch {
            // Refused (the quota) or not committed: bytes no row names do not stay behind.
            if (try? await platform.pool.read({ try await find(id: id, on: $0) })) == nil {
                try? FileManager.default.removeItem(atPath: path(of: id))
            }
            throw error
        }
    }

    /// Checks the quota, moves the bytes into place and records the file and this upload, in one
    /// transaction — the same one the cleanup's removal waits for, so a file is never removed
    /// under an upload that names it.
    private func record(_ attachment: Attachment, from spooled: String, by actor: Principal) async throws -> Attachment
    {
        let (id, size, policy) = (attachment.id, attachment.size, platform.settings.attachments)
        return try await platform.write(
            actor, "attachment.upload", target: "attachment", summary: { ($0.id, "\($0.contentType) \($0.size) bytes") }
        ) { db in
            let now = attachment.createdAt
            if platform.pool.backend == .postgres {
                // One person's uploads one at a time, so parallel uploads cannot all pass the quota.
                try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "upload:" + actor.id)))").run()
            }
            let uploaded =
                try await db.select().column("attachment_id").from("attachment_uploads").where(
                    "attachment_id", .equal, id
                )
                .where("uploader_id", .equal, actor.id).first() != nil
            if !uploaded {
                // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back so both backends answer an integer.
                let used =
                    try await db.raw(
                        """
                        SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) AS used FROM attachment_uploads
                        WHERE uploader_id = \(bind: actor.id) AND uploaded_at > \(bind: now - 86_400_000)
                        """
                    ).first()?.decode(column: "used", as: Int.self) ?? 0
                let quota = actor.kind == .key ? policy.dailyKeyQuotaBytes : policy.dailyQuotaBytes
                guard used + size <= quota else {
                    throw DomainError(
                        .tooLarge, code: "upload_quota_exceeded",
                        "At most \(quota / 1_048_576) MB of uploads a day; \(used / 1_048_576) MB used."
                    )
                }
            }
            try place(spooled, at: path(of: id))
            let stored = try await find(id: id, on: db)
            if stored == nil {
                try await db.insert(into: "attachments").model(attachment, with: rowEncoder).ignoringConflicts(with: [
                    "id"
                ]).run()
            }
            if uploaded {
                try await db.update("attachment_uploads").set("uploaded_at", to: now).where("attachment_id", .equal, id)
                    .where("uploader_id", .equal, actor.id).run()
            } else {
                try await db.insert(into: "attachment_uploads").columns(
                    "attachment_id", "uploader_id", "size", "uploaded_at"
                )
                .values(SQLBind(id), SQLBind(actor.id), SQLBind(size), SQLBind(now))
                .ignoringConflicts(with: ["attachment_id", "uploader_id"]).run()
            }
            return stored ?? attachment
        }
    }

    /// Removes files that no case links to and nobody has uploaded within the policy's time:
    /// rows, uploads and bytes. Returns how many went.
    public func removeUnlinked() async throws -> Int {
        let cutoff = platform.now() - platform.settings.attachments.unlinkedMillis
        let removed = try await platform.write(
            .system, "attachment.cleanup", target: "attachment",
            summary: { ("", "\($0.count) files linked to no case or incident removed") }
        ) { db -> [String] in
            let stale = try await db.raw(
                """
                SELECT a.id FROM attachments a
                WHERE NOT EXISTS (SELECT 1 FROM case_attachments c WHERE c.attachment_id = a.id)
                  AND NOT EXISTS (SELECT 1 FROM incident_attachments i WHERE i.attachment_id = a.id)
                  AND NOT EXISTS (SELECT 1 FROM video_detections v WHERE v.snapshot_id = a.id)
                  AND NOT EXISTS (SELECT 1 FROM attachment_uploads u WHERE u.attachment_id = a.id AND u.uploaded_at >= \(bind: cutoff))
                  AND a.created_at < \(bind: cutoff)
                LIMIT 1000
                """
            ).all().map { try $0.decode(column: "id", as: String.self) }
            for id in stale {
                try await db.delete(from: "attachment_uploads").where("attachment_id", .equal, id).run()
                try await db.delete(from: "attachments").where("id", .equal, id).run()
            }
            return stale
        }
        // The bytes go after the rows are gone for good; a crash in between leaves a file that
        // nothing names, which a later upload of the same bytes simply reuses.
        for id in removed {
            // In a transaction of its own that first checks no upload brought the file back since.
            try await platform.pool.transaction { db in
                if try await find(id: id, on: db) == nil { try? FileManager.default.removeItem(atPath: path(of: id)) }
            }
        }
        // Spool files a crash left behind mid-upload.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: spoolDirectory)) ?? [] {
            let spooled = spoolDirectory + "/" + name
            let modified = (try? FileManager.default.attributesOfItem(atPath: spooled))?[.modificationDate] as? Date
            if let modified, Int64(modified.timeIntervalSince1970 * 1000) < cutoff {
                try? FileManager.default.removeItem(atPath: spooled)
            }
        }
        return removed.count
    }

    func path(of id: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(String(id.prefix(2))).appendingPathComponent(id).path
    }

    /// Moves a flushed spool file to its content-addressed name (kept if the same bytes are there).
    private func place(_ spooled: String, at path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Renamed over any file already there: the same bytes, and put back if a cleanup was
        // about to remove them.
        if rename(spooled, path) != 0 { throw CocoaError(.fileWriteUnknown) }
        // Make the new name itself durable.
        let directory = open(folder, O_RDONLY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> Attachment? {
        try await db.select().column("*").from("attachments").where("id", .equal, id).first(
            decoding: Attachment.self, with: rowDecoder)
    }

    /// Links uploads to a case, with the step they came with. A person links only files they
    /// uploaded themselves; the platform's own work (`Principal.system`) links any.
    func link(
        _ ids: [String], to caseId: String, phase: AttachmentPhase, eventSeq: Int, by actor: Principal,
        on db: any SQLDatabase
    ) async throws {
        try await requireUploaded(ids, by: actor, on: db)
        for id in ids {
            let linked =
                try await db.select().column("attachment_id").from("case_attachments").where("case_id", .equal, caseId)
                .where("attachment_id", .equal, id).first() != nil
            if !linked {
                try await db.insert(into: "case_attachments").columns("case_id", "attachment_id", "phase", "event_seq")
                    .values(SQLBind(caseId), SQLBind(id), SQLBind(phase.rawValue), SQLBind(eventSeq)).run()
            }
        }
    }

    /// Each file must be the caller's own upload (the platform's own work may link any): the same
    /// answer for a file that does not exist and one somebody else uploaded.
    func requireUploaded(_ ids: [String], by actor: Principal, on db: any SQLDatabase) async throws {
        for (index, id) in ids.enumerated() {
            let own =
                actor.id == Principal.system.id
                ? try await find(id: id, on: db) != nil
                : try await db.select().column("attachment_id").from("attachment_uploads").where(
                    "attachment_id", .equal, id
                )
                .where("uploader_id", .equal, actor.id).first() != nil
            guard own else {
                throw DomainError.validation([
                    FieldIssue(
                        field: "attachments[\(index)]", code: "unknown_attachment",
                        message: "Upload the file first (POST /api/v1/attachments).")
                ])
            }
        }
    }

    public func attachments(of caseId: String, on db: any SQLDatabase) async throws -> [CaseAttachment] {
        let rows = try await db.select().column("*").from("case_attachments").where("case_id", .equal, caseId).orderBy(
            "event_seq"
        ).all()
        var result: [CaseAttachment] = []
        for row in rows {
            guard let attachment = try await find(id: try row.decode(column: "attachment_id", as: String.self), on: db)
            else { continue }
            result.append(
                CaseAttachment(
                    caseId: caseId, attachment: attachment,
                    phase: AttachmentPhase(rawValue: try row.decode(column: "phase", as: String.self)) ?? .other,
                    eventSeq: try row.decode(column: "event_seq", as: Int.self)))
        }
        return result
    }

    /// The bytes of an attachment of a case the caller may see.
    public func read(caseId: String, attachmentId: String, by actor: Principal) async throws -> (Attachment, Data) {
        let attachment = try await platform.pool.read { db -> Attachment in
            guard let record = try await CaseRepository().find(id: caseId, on: db) else {
                throw DomainError.notFound("Case")
            }
            try record.requireVisible(to: actor)
            guard
                try await db.select().column("attachment_id").from("case_attachments").where("case_id", .equal, caseId)
                    .where("attachment_id", .equal, attachmentId).first() != nil,
                let attachment = try await find(id: attachmentId, on: db)
            else { throw DomainError.notFound("Attachment") }
            return attachment
        }
        return (attachment, try Data(contentsOf: URL(fileURLWithPath: path(of: attachment.id))))
    }
}
