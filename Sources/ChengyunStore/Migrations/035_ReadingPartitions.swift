/// PostgreSQL: raw readings partitioned by UTC day (`ReadingPartitionPlan`), so retention drops a
/// day's table instead of deleting its rows one by one. The readings already stored go to the
/// default partition, which also takes any reading for a day without a partition of its own;
/// the hourly retention round makes the days' partitions (moving such readings into them) and
/// drops the old ones. SQLite keeps one table.
let m035ReadingPartitions = Migration(
    version: 35, name: "reading_partitions",
    statements: { backend in
        guard backend == .postgres else { return [] }
        return [
            """
            CREATE TABLE readings_partitioned (
                series_id BIGINT NOT NULL,
                at BIGINT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (series_id, at)) PARTITION BY RANGE (at)
            """,
            "CREATE TABLE readings_default PARTITION OF readings_partitioned DEFAULT",
            "INSERT INTO readings_partitioned (series_id, at, value) SELECT series_id, at, value FROM readings",
            "DROP TABLE readings",
            "ALTER TABLE readings_partitioned RENAME TO readings",
        ]
    })
