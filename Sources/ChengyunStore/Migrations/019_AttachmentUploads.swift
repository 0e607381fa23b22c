/// Who uploaded which file. Files are content-addressed, so two people can upload the same bytes:
/// each upload is its own row, and a person may link to a case only files they uploaded
/// themselves (knowing a file's hash is not enough). The rows also carry the per-person daily
/// quota. Existing files count as uploaded by whoever stored them first.
let m019AttachmentUploads = Migration(
    version: 19, name: "attachment_uploads",
    sql: [
        """
        CREATE TABLE attachment_uploads (
            attachment_id TEXT NOT NULL REFERENCES attachments(id),
            uploader_id TEXT NOT NULL,
            size BIGINT NOT NULL,
            uploaded_at BIGINT NOT NULL,
            PRIMARY KEY (attachment_id, uploader_id))
        """,
        "CREATE INDEX attachment_uploads_uploader ON attachment_uploads(uploader_id, uploaded_at)",
        "INSERT INTO attachment_uploads (attachment_id, uploader_id, size, uploaded_at) SELECT id, created_by, size, created_at FROM attachments",
    ])
