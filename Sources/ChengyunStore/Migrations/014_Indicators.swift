/// City vital signs: each indicator's value per area and period — computed ones and imported ones
/// (population, area…) — kept as history. The tree itself is a setting (one JSON document).
let m014Indicators = Migration(
    version: 14, name: "indicators",
    sql: [
        """
        CREATE TABLE indicator_values (
            code TEXT NOT NULL,
            area_id TEXT NOT NULL REFERENCES areas(id),
            period_start BIGINT NOT NULL,
            period_end BIGINT NOT NULL,
            value DOUBLE PRECISION,
            colour TEXT,
            source TEXT NOT NULL,
            recorded_at BIGINT NOT NULL,
            PRIMARY KEY (code, area_id, period_start))
        """
    ])
