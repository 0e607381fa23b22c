/// Rate limits that every node of a city counts together: one token bucket per key (a hash of the
/// calling address, account or API key), idle rows pruned once they would be full again.
let m034RateBuckets = Migration(
    version: 34, name: "rate_buckets",
    statements: { _ in
        [
            """
            CREATE TABLE rate_buckets (
                bucket_key TEXT PRIMARY KEY,
                per_minute INTEGER NOT NULL,
                tokens DOUBLE PRECISION NOT NULL,
                updated_at BIGINT NOT NULL,
                allowed BOOLEAN NOT NULL)
            """,
            "CREATE INDEX rate_buckets_updated ON rate_buckets (updated_at)",
        ]
    })
