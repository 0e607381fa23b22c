/// Warnings and supervision (预警督办): at most one open warning per subject (its key), kept
/// after it is resolved; supervision orders with their read receipt and response.
let m015Supervision = Migration(
    version: 15, name: "supervision",
    sql: [
        """
        CREATE TABLE warnings (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            level TEXT NOT NULL,
            target_type TEXT NOT NULL,
            target_id TEXT NOT NULL,
            area_path TEXT NOT NULL,
            department_id TEXT,
            title TEXT NOT NULL,
            detail TEXT NOT NULL,
            raised_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            resolved_at BIGINT)
        """,
        "CREATE UNIQUE INDEX warnings_open_key ON warnings(key) WHERE resolved_at IS NULL",
        "CREATE INDEX warnings_area ON warnings(area_path, raised_at)",
        """
        CREATE TABLE supervision_orders (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            case_id TEXT NOT NULL REFERENCES cases(id),
            case_number TEXT NOT NULL,
            area_path TEXT NOT NULL,
            department_ids TEXT NOT NULL,
            issued_by TEXT NOT NULL,
            issued_by_name TEXT NOT NULL,
            automatic INTEGER NOT NULL,
            issued_at BIGINT NOT NULL,
            deadline BIGINT NOT NULL,
            letter TEXT NOT NULL,
            state TEXT NOT NULL,
            read_at BIGINT,
            read_by TEXT,
            response TEXT,
            responded_at BIGINT,
            responded_by TEXT)
        """,
        "CREATE INDEX supervision_orders_case ON supervision_orders(case_id, issued_at)",
        "CREATE INDEX supervision_orders_area ON supervision_orders(area_path, issued_at)",
    ])
