/// Reporters' satisfaction after closure (回访): one rating per report, about the case it was
/// handled in; and the index a citizen's "my reports" list reads.
let m013Ratings = Migration(
    version: 13, name: "ratings",
    sql: [
        """
        CREATE TABLE case_ratings (
            report_case_id TEXT PRIMARY KEY REFERENCES cases(id),
            case_id TEXT NOT NULL REFERENCES cases(id),
            satisfaction TEXT NOT NULL,
            comment TEXT,
            rated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX case_ratings_case ON case_ratings(case_id, rated_at)",
        "CREATE INDEX cases_reporter ON cases(reporter_id, reported_at)",
    ])
