/// Warning subscriptions (订阅): a person asks to be reminded of warnings of some kinds, from a
/// colour up, in an area. A warning may open a case (an indicator's case rule); it keeps its id.
let m017WarningSubscriptions = Migration(
    version: 17, name: "warning_subscriptions",
    sql: [
        """
        CREATE TABLE warning_subscriptions (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(id),
            kinds TEXT NOT NULL,
            min_level TEXT NOT NULL,
            area_path TEXT NOT NULL,
            created_at BIGINT NOT NULL)
        """,
        "CREATE INDEX warning_subscriptions_user ON warning_subscriptions(user_id)",
        "ALTER TABLE warnings ADD COLUMN case_id TEXT",
    ])
