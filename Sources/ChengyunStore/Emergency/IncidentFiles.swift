import ChengyunCore
import Foundation
import SQLKit

/// A file on an incident's log: a crew's photo of the scene with its task report, the command's
/// with a log entry.
public struct IncidentAttachment: Codable, Equatable, Sendable {
    public var attachmentId: String
    /// The log entry it came with.
    public var logSeq: Int
    public var name: String
    public var contentType: String
    public var size: Int
}

/// Incidents' files in the attachment store: linked to the log entry they came with, read by
/// whoever may see the incident.
extension AttachmentStore {
    /// Links the caller's own uploads to an incident's log entry (in the caller's transaction).
    func link(_ ids: [String], toIncident incidentId: String, logSeq: Int, by actor: Principal, on db: any SQLDatabase)
        async throws
    {
        try await requireUploaded(ids, by: actor, on: db)
        for id in Set(ids).sorted() {
            try await db.raw(
                """
                INSERT INTO incident_attachments (incident_id, attachment_id, log_seq)
                VALUES (\(bind: incidentId), \(bind: id), \(bind: logSeq))
                ON CONFLICT (incident_id, attachment_id) DO NOTHING
                """
            ).run()
        }
    }

    /// An incident's files, in log order.
    func attachments(ofIncident incidentId: String, on db: any SQLDatabase) async throws -> [IncidentAttachment] {
        try await db.raw(
            """
            SELECT i.attachment_id, i.log_seq, a.name, a.content_type, a.size FROM incident_attachments i
            JOIN attachments a ON a.id = i.attachment_id
            WHERE i.incident_id = \(bind: incidentId) ORDER BY i.log_seq, i.attachment_id
            """
        ).all().map { row in
            IncidentAttachment(
                attachmentId: try row.decode(column: "attachment_id", as: String.self),
                logSeq: try row.decode(column: "log_seq", as: Int.self),
                name: try row.decode(column: "name", as: String.self),
                contentType: try row.decode(column: "content_type", as: String.self),
                size: try row.decode(column: "size", as: Int.self))
        }
    }

    /// A file of an incident, to staff who may see the incident.
    public func read(incidentId: String, attachmentId: String, by actor: Principal) async throws -> (Attachment, Data) {
        guard actor.kind == .staff else {
            throw DomainError(.forbidden, code: "staff_only", "Incidents' files are for staff.")
        }
        let attachment = try await platform.pool.read { db -> Attachment in
            let incident = try await IncidentService(platform: platform).incident(incidentId, by: actor, on: db)
            guard
                try await db.select().column("attachment_id").from("incident_attachments")
                    .where("incident_id", .equal, incident.id).where("attachment_id", .equal, attachmentId).first()
                    != nil,
                let attachment = try await find(id: attachmentId, on: db)
            else { throw DomainError.notFound("Attachment") }
            return attachment
        }
        return (attachment, try Data(contentsOf: URL(fileURLWithPath: path(of: attachment.id))))
    }
}
