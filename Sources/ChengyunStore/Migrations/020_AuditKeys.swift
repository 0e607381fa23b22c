/// Audit entries name the key their hash was signed with (HMAC-SHA-256); NULL for the plain
/// SHA-256 entries written before.
let m020AuditKeys = Migration(
    version: 20, name: "audit_keys",
    sql: [
        "ALTER TABLE audit_log ADD COLUMN key_id TEXT"
    ])
