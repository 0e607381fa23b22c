/// Telemetry written in time order. The newest readings go to `readings_recent`, keyed by
/// (time, series): a batch of live readings lands on the table's last pages, where keyed by
/// (series, time) it dirtied one page per series it touched. A fold (`ReadingFold`) moves them
/// into `readings`, which stays keyed by series for history queries, many readings a series at a
/// time. `reading_fold` (one row) says where that stands: readings before `folded` are in
/// `readings` only, the rest in `readings_recent`; `route` is where ingest starts sending readings
/// to `readings_recent` (older ones, which arrive late, go to `readings`), ahead of `folded` only
/// while a fold is under way. Existing readings are all before the starting point.
let m018ReadingsRecent = Migration(
    version: 18, name: "readings_recent",
    statements: { backend in
        let compact = backend == .sqlite ? " WITHOUT ROWID" : ""
        return [
            """
            CREATE TABLE readings_recent (
                at BIGINT NOT NULL,
                series_id BIGINT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (at, series_id))\(compact)
            """,
            "CREATE TABLE reading_fold (id INTEGER PRIMARY KEY, folded BIGINT NOT NULL, route BIGINT NOT NULL)",
            "INSERT INTO reading_fold (id, folded, route) SELECT 1, COALESCE(MAX(at) + 1, 0), COALESCE(MAX(at) + 1, 0) FROM readings",
        ]
    })
