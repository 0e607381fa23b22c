/// The emergency resource registry (应急资源) and every status change of each resource.
let m022EmergencyResources = Migration(
    version: 22, name: "emergency_resources",
    sql: [
        """
        CREATE TABLE emergency_resources (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            capabilities TEXT NOT NULL,
            home_lon DOUBLE PRECISION NOT NULL,
            home_lat DOUBLE PRECISION NOT NULL,
            lon DOUBLE PRECISION NOT NULL,
            lat DOUBLE PRECISION NOT NULL,
            status TEXT NOT NULL,
            area_id TEXT NOT NULL REFERENCES areas(id),
            area_path TEXT NOT NULL,
            department_id TEXT REFERENCES departments(id),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX emergency_resources_area ON emergency_resources(area_path, status)",
        """
        CREATE TABLE emergency_resource_events (
            id TEXT PRIMARY KEY,
            resource_id TEXT NOT NULL REFERENCES emergency_resources(id),
            event TEXT NOT NULL,
            from_status TEXT NOT NULL,
            to_status TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            note TEXT,
            at BIGINT NOT NULL)
        """,
        "CREATE INDEX emergency_resource_events_resource ON emergency_resource_events(resource_id, at)",
    ])
