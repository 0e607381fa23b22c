/// Subscriptions (订阅) and their deliveries: each change a subscription matches is a delivery row
/// written in the change's transaction (the outbox), sent by the leading node's dispatcher or
/// read by cursor.
let m044Subscriptions = Migration(
    version: 44, name: "subscriptions",
    statements: { _ in
        [
            """
            CREATE TABLE subscriptions (
                id TEXT PRIMARY KEY,
                owner_id TEXT NOT NULL,
                area_path TEXT NOT NULL,
                topic TEXT NOT NULL,
                dataset_code TEXT,
                url TEXT,
                secret TEXT NOT NULL,
                state TEXT NOT NULL,
                created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX subscriptions_topic ON subscriptions (topic, state)",
            "CREATE INDEX subscriptions_owner ON subscriptions (owner_id, id)",
            """
            CREATE TABLE subscription_deliveries (
                id TEXT PRIMARY KEY,
                subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
                topic TEXT NOT NULL,
                body TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                last_status BIGINT,
                last_error TEXT,
                created_at BIGINT NOT NULL,
                delivered_at BIGINT)
            """,
            "CREATE INDEX subscription_deliveries_due ON subscription_deliveries (state, next_attempt_at)",
            "CREATE INDEX subscription_deliveries_subscription ON subscription_deliveries (subscription_id, id)",
        ]
    })
