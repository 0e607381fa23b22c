import ChengyunCore

/// PostgreSQL: raw readings partitioned by time (`ReadingPartitionPlan`), so retention drops a
/// day's table instead of deleting its rows one by one. The table as it stands becomes the first
/// partition, `readings_legacy`, for every time before the day after tomorrow (by the clock the
/// migration runs at) — renamed and attached, not copied: no rows move, and a node of the old
/// version writing meanwhile waits for the lock rather than write to a table about to go. Its
/// CHECK constraint (one read of the table) lets the attach skip its own scan. Later days get
/// partitions of their own from the hourly retention round; `readings_default` takes a reading
/// for a day that has none. SQLite keeps one table.
let m035ReadingPartitions = Migration(
    version: 35, name: "reading_partitions",
    timedStatements: { backend, now in
        guard backend == .postgres else { return [] }
        let end = ReadingPartitionPlan.bounds(ofDay: ReadingPartitionPlan.day(of: now) + 2).lowerBound
        return [
            "LOCK TABLE readings IN ACCESS EXCLUSIVE MODE",
            "ALTER TABLE readings RENAME TO readings_legacy",
            "ALTER INDEX readings_pkey RENAME TO readings_legacy_pkey",
            """
            CREATE TABLE readings (
                series_id BIGINT NOT NULL,
                at BIGINT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (series_id, at)) PARTITION BY RANGE (at)
            """,
            "ALTER TABLE readings_legacy ADD CONSTRAINT readings_legacy_range CHECK (at < \(end))",
            "ALTER TABLE readings ATTACH PARTITION readings_legacy FOR VALUES FROM (MINVALUE) TO (\(end))",
            "CREATE TABLE readings_default PARTITION OF readings DEFAULT",
        ]
    })
