/// Photos and files on an incident (a crew's photos of the scene with its task report, the
/// command's with a log entry), each linked to the log entry it came with.
let m029IncidentAttachments = Migration(
    version: 29, name: "incident_attachments",
    sql: [
        """
        CREATE TABLE incident_attachments (
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            attachment_id TEXT NOT NULL REFERENCES attachments(id),
            log_seq BIGINT NOT NULL,
            PRIMARY KEY (incident_id, attachment_id))
        """
    ])
