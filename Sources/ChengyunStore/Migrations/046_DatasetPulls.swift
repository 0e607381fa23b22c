/// Scheduled HTTP pulls (定时拉取): one per dataset, with the validators of the last answer (ETag,
/// Last-Modified, the body's hash), where the schedule stands, and the claim of a run under way.
let m046DatasetPulls = Migration(
    version: 46, name: "dataset_pulls",
    statements: { _ in
        [
            """
            CREATE TABLE dataset_pulls (
                dataset_id TEXT PRIMARY KEY REFERENCES datasets(id),
                dataset_code TEXT NOT NULL,
                url TEXT NOT NULL,
                format TEXT NOT NULL,
                interval_minutes BIGINT NOT NULL,
                owner_id TEXT NOT NULL,
                etag TEXT,
                last_modified TEXT,
                body_hash TEXT,
                next_run_at BIGINT NOT NULL,
                claimed_until BIGINT,
                last_run_at BIGINT,
                last_outcome TEXT,
                last_status BIGINT,
                last_error TEXT,
                last_version BIGINT,
                failures BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX dataset_pulls_due ON dataset_pulls (next_run_at)",
        ]
    })
