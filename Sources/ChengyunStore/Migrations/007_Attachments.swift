/// Uploaded files (content-addressed on disk) and their links to cases.
let m007Attachments = Migration(
    version: 7, name: "attachments",
    sql: [
        """
        CREATE TABLE attachments (
            id TEXT PRIMARY KEY,
            content_type TEXT NOT NULL,
            size BIGINT NOT NULL,
            name TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            created_by TEXT NOT NULL)
        """,
        """
        CREATE TABLE case_attachments (
            case_id TEXT NOT NULL REFERENCES cases(id),
            attachment_id TEXT NOT NULL REFERENCES attachments(id),
            phase TEXT NOT NULL,
            event_seq BIGINT NOT NULL,
            PRIMARY KEY (case_id, attachment_id))
        """,
    ])
