/// The last change pruned from each dataset's record feed (`RecordFeed.missed`): a reader whose
/// cursor stands before it has missed changes, and is told so rather than resuming silently; a
/// webhook feed that resumed past such a gap keeps where it ended (`missed_through`).
let m050RecordFeedHorizons = Migration(
    version: 50, name: "record_feed_horizons",
    statements: { _ in
        [
            """
            CREATE TABLE dataset_change_horizons (
                dataset_id TEXT PRIMARY KEY REFERENCES datasets(id),
                version BIGINT NOT NULL,
                ordinal BIGINT NOT NULL,
                pruned_at BIGINT NOT NULL)
            """,
            "ALTER TABLE subscription_cursors ADD COLUMN missed_through TEXT",
        ]
    })
