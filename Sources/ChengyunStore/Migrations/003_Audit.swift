/// The hash-chained audit log and its head (the last seq and hash, updated with every append).
let m003Audit = Migration(
    version: 3, name: "audit",
    sql: [
        """
        CREATE TABLE audit_log (
            seq BIGINT PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            at BIGINT NOT NULL,
            actor_kind TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            actor_name TEXT NOT NULL,
            action TEXT NOT NULL,
            target_type TEXT NOT NULL,
            target_id TEXT NOT NULL,
            summary TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL)
        """,
        "CREATE INDEX audit_log_target ON audit_log(target_type, target_id)",
        "CREATE INDEX audit_log_actor ON audit_log(actor_id)",
        """
        CREATE TABLE audit_head (
            id BIGINT PRIMARY KEY,
            last_seq BIGINT NOT NULL,
            last_hash TEXT NOT NULL)
        """,
        "INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')",
    ])
