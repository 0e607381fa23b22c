/// Monitoring, second part: telemetry (raw readings and hourly rollups; the latest value of a
/// series is its newest reading), alarm rules with their state on each device, and alarms.
let m011Telemetry = Migration(
    version: 11, name: "telemetry",
    statements: { backend in
        // Raw readings are the bulk of the database: keyed by (series, time) and nothing else.
        // On SQLite the key is the table (no rowid, no second index).
        let compact = backend == .sqlite ? " WITHOUT ROWID" : ""
        return [
            "ALTER TABLE device_kinds ADD COLUMN default_rules TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE devices ADD COLUMN api_key_id TEXT REFERENCES api_keys(id)",
            "ALTER TABLE devices ADD COLUMN disarmed_until BIGINT",
            "ALTER TABLE devices ADD COLUMN disarm_reason TEXT",
            """
            CREATE TABLE series (
                id BIGINT PRIMARY KEY,
                device_id TEXT NOT NULL REFERENCES devices(id),
                metric TEXT NOT NULL,
                UNIQUE (device_id, metric))
            """,
            """
            CREATE TABLE readings (
                series_id BIGINT NOT NULL,
                at BIGINT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (series_id, at))\(compact)
            """,
            """
            CREATE TABLE reading_hourly (
                series_id BIGINT NOT NULL,
                hour BIGINT NOT NULL,
                min DOUBLE PRECISION NOT NULL,
                max DOUBLE PRECISION NOT NULL,
                sum DOUBLE PRECISION NOT NULL,
                count BIGINT NOT NULL,
                last_at BIGINT NOT NULL,
                last_value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (series_id, hour))\(compact)
            """,
            """
            CREATE TABLE alarm_rules (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                kind_code TEXT NOT NULL,
                device_id TEXT REFERENCES devices(id),
                area_path TEXT,
                condition TEXT NOT NULL,
                severity TEXT NOT NULL,
                matter_code TEXT,
                case_fields TEXT,
                enabled INTEGER NOT NULL,
                built_in INTEGER NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE rule_states (
                rule_id TEXT NOT NULL,
                device_id TEXT NOT NULL,
                state TEXT NOT NULL,
                PRIMARY KEY (rule_id, device_id))
            """,
            """
            CREATE TABLE alarms (
                id TEXT PRIMARY KEY,
                rule_id TEXT NOT NULL,
                rule_name TEXT NOT NULL,
                device_id TEXT NOT NULL REFERENCES devices(id),
                device_code TEXT NOT NULL,
                kind_code TEXT NOT NULL,
                area_path TEXT NOT NULL,
                lon DOUBLE PRECISION NOT NULL,
                lat DOUBLE PRECISION NOT NULL,
                severity TEXT NOT NULL,
                state TEXT NOT NULL,
                detail TEXT NOT NULL,
                metric TEXT,
                value DOUBLE PRECISION,
                raised_at BIGINT NOT NULL,
                acknowledged_at BIGINT,
                acknowledged_by TEXT,
                cleared_at BIGINT,
                cleared_by TEXT,
                case_id TEXT REFERENCES cases(id),
                case_error TEXT,
                updated_at BIGINT NOT NULL)
            """,
            // One open alarm per rule × device, enforced by the database too.
            "CREATE UNIQUE INDEX alarms_open ON alarms(rule_id, device_id) WHERE state <> 'cleared'",
            "CREATE INDEX alarms_area ON alarms(area_path, raised_at)",
            "CREATE INDEX alarms_device ON alarms(device_id, raised_at)",
        ]
    })
