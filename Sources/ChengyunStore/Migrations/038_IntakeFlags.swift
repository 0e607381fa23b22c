/// Invalid-report screening (`IntakeScreening`): each case's flags, and the index that finds a
/// reporter's earlier reports by the contact they left (by account: `cases_reporter`, migration 013).
let m038IntakeFlags = Migration(
    version: 38, name: "intake_flags",
    statements: { _ in
        [
            """
            CREATE TABLE case_intake_flags (
                case_id TEXT NOT NULL REFERENCES cases(id),
                code TEXT NOT NULL,
                detail TEXT,
                flagged_at BIGINT NOT NULL,
                PRIMARY KEY (case_id, code))
            """,
            "CREATE INDEX cases_reporter_contact ON cases(reporter_contact, reported_at)",
        ]
    })
