/// A count of failed logins under names no account has. Each one adds to it in a transaction of
/// its own, so a refused login commits a write whether the name exists or not, and the two take
/// alike long (the audit log summarises them a minute at a time).
let m021UnknownLogins = Migration(
    version: 21, name: "unknown_logins",
    sql: [
        "CREATE TABLE unknown_logins (id BIGINT PRIMARY KEY, failures BIGINT NOT NULL)",
        "INSERT INTO unknown_logins (id, failures) VALUES (1, 0)",
    ])
