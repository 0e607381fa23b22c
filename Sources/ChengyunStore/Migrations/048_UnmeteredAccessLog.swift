/// The access log takes calls made without a grant too (the owner's, the centre's, any staff's of
/// a dataset shared unconditionally): `application_id` may be NULL. SQLite cannot drop a NOT NULL
/// in place, so its table is built again with the rows it had.
let m048UnmeteredAccessLog = Migration(
    version: 48, name: "unmetered_access_log",
    statements: { backend in
        guard backend == .sqlite else {
            return ["ALTER TABLE dataset_access_log ALTER COLUMN application_id DROP NOT NULL"]
        }
        return [
            """
            CREATE TABLE dataset_access_log_next (
                id TEXT PRIMARY KEY,
                dataset_id TEXT NOT NULL REFERENCES datasets(id),
                application_id TEXT REFERENCES access_applications(id),
                consumer TEXT NOT NULL,
                caller_kind TEXT NOT NULL,
                caller_id TEXT NOT NULL,
                operation TEXT NOT NULL,
                outcome TEXT NOT NULL,
                at BIGINT NOT NULL)
            """,
            """
            INSERT INTO dataset_access_log_next (id, dataset_id, application_id, consumer, caller_kind, caller_id,
                operation, outcome, at)
            SELECT id, dataset_id, application_id, consumer, caller_kind, caller_id, operation, outcome, at
            FROM dataset_access_log
            """,
            "DROP TABLE dataset_access_log",
            "ALTER TABLE dataset_access_log_next RENAME TO dataset_access_log",
            "CREATE INDEX dataset_access_log_dataset ON dataset_access_log (dataset_id, id)",
            "CREATE INDEX dataset_access_log_application ON dataset_access_log (application_id, id)",
        ]
    })
