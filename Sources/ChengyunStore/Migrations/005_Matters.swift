/// The work calendar, matters with their versions, and routing rules.
let m005Matters = Migration(
    version: 5, name: "matters",
    sql: [
        """
        CREATE TABLE calendars (
            id TEXT PRIMARY KEY,
            body TEXT NOT NULL,
            version TEXT NOT NULL,
            updated_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE matters (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            major_code TEXT NOT NULL,
            minor_code TEXT NOT NULL,
            version BIGINT NOT NULL,
            active BIGINT NOT NULL,
            is_public BIGINT NOT NULL,
            body TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            UNIQUE (kind, major_code, minor_code),
            FOREIGN KEY (kind, major_code, minor_code) REFERENCES minor_categories(kind, major_code, code))
        """,
        """
        CREATE TABLE matter_versions (
            matter_id TEXT NOT NULL REFERENCES matters(id),
            version BIGINT NOT NULL,
            body TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (matter_id, version))
        """,
        """
        CREATE TABLE routing_rules (
            id TEXT PRIMARY KEY,
            matter_id TEXT REFERENCES matters(id),
            area_id TEXT NOT NULL REFERENCES areas(id),
            area_path TEXT NOT NULL,
            department_ids TEXT NOT NULL,
            created_at BIGINT NOT NULL)
        """,
        "CREATE INDEX routing_rules_matter ON routing_rules(matter_id)",
    ])
