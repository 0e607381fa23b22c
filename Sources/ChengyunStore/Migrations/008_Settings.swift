/// Settings administrators change at run time (evaluation weights, …), one JSON document a key.
let m008Settings = Migration(
    version: 8, name: "settings",
    sql: [
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            updated_by TEXT NOT NULL)
        """
    ])
