/// Open311 GeoReport v2 (docs/domain.md §9): every `POST requests` is kept as it was received — the
/// answer's token, the app's key, the form — and linked to the case it became. Keys get their
/// own rate limit; addresses are looked up to place reports sent without coordinates.
let m012Open311 = Migration(
    version: 12, name: "open311",
    sql: [
        """
        CREATE TABLE open311_submissions (
            token TEXT PRIMARY KEY,
            api_key_id TEXT NOT NULL REFERENCES api_keys(id),
            service_code TEXT NOT NULL,
            payload TEXT NOT NULL,
            media_url TEXT,
            received_at BIGINT NOT NULL,
            case_id TEXT REFERENCES cases(id),
            error_code TEXT,
            error_description TEXT,
            processed_at BIGINT)
        """,
        "CREATE INDEX open311_submissions_case ON open311_submissions(case_id)",
        "CREATE INDEX open311_submissions_pending ON open311_submissions(received_at) WHERE processed_at IS NULL",
        "ALTER TABLE api_keys ADD COLUMN rate_limit_per_minute INTEGER",
        "CREATE INDEX cases_address ON cases(lower(address))",
    ])
