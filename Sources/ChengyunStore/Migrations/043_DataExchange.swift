/// Exchange (数据交换): access applications and the grants they become, each grant's usage
/// against its rate and daily quota, the access log, and keys bound to a grant with an expiry.
let m043DataExchange = Migration(
    version: 43, name: "data_exchange",
    statements: { _ in
        [
            "ALTER TABLE api_keys ADD COLUMN grant_id TEXT",
            "ALTER TABLE api_keys ADD COLUMN expires_at BIGINT",
            """
            CREATE TABLE access_applications (
                id TEXT PRIMARY KEY,
                dataset_id TEXT NOT NULL REFERENCES datasets(id),
                department_id TEXT,
                applicant_id TEXT NOT NULL,
                state TEXT NOT NULL,
                awaiting TEXT,
                document TEXT NOT NULL,
                applied_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                expires_at BIGINT)
            """,
            "CREATE INDEX access_applications_dataset ON access_applications (dataset_id, state)",
            "CREATE INDEX access_applications_department ON access_applications (department_id, state)",
            """
            CREATE TABLE access_usage (
                application_id TEXT PRIMARY KEY REFERENCES access_applications(id),
                minute BIGINT NOT NULL,
                minute_used BIGINT NOT NULL,
                day BIGINT NOT NULL,
                day_used BIGINT NOT NULL)
            """,
            """
            CREATE TABLE dataset_access_log (
                id TEXT PRIMARY KEY,
                dataset_id TEXT NOT NULL REFERENCES datasets(id),
                application_id TEXT NOT NULL REFERENCES access_applications(id),
                consumer TEXT NOT NULL,
                caller_kind TEXT NOT NULL,
                caller_id TEXT NOT NULL,
                operation TEXT NOT NULL,
                outcome TEXT NOT NULL,
                at BIGINT NOT NULL)
            """,
            "CREATE INDEX dataset_access_log_dataset ON dataset_access_log (dataset_id, id)",
            "CREATE INDEX dataset_access_log_application ON dataset_access_log (application_id, id)",
        ]
    })
