/// Record feeds (`RecordFeed`): the changes a load writes to a dataset someone follows, one row a
/// record however many subscribe, and each `records` subscription's cursor in its dataset's feed,
/// with the attempts at what comes after it (a batch that failed is held to where it ended, so
/// it is tried again whole and no larger).
let m049RecordFeeds = Migration(
    version: 49, name: "record_feeds",
    statements: { _ in
        [
            """
            CREATE TABLE dataset_changes (
                id TEXT PRIMARY KEY,
                dataset_id TEXT NOT NULL REFERENCES datasets(id),
                version BIGINT NOT NULL,
                ordinal BIGINT NOT NULL,
                record_key TEXT NOT NULL,
                at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX dataset_changes_position ON dataset_changes (dataset_id, version, ordinal)",
            """
            CREATE TABLE subscription_cursors (
                subscription_id TEXT PRIMARY KEY REFERENCES subscriptions(id),
                dataset_id TEXT NOT NULL REFERENCES datasets(id),
                version BIGINT NOT NULL,
                ordinal BIGINT NOT NULL,
                attempts BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                last_status BIGINT,
                last_error TEXT,
                delivered_at BIGINT,
                delivered BIGINT NOT NULL,
                held_version BIGINT,
                held_ordinal BIGINT)
            """,
        ]
    })
