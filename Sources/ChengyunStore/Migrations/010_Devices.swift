/// Monitoring: the kinds administrators add (built-in kinds ship as a file) and the devices.
let m010Devices = Migration(
    version: 10, name: "devices",
    sql: [
        """
        CREATE TABLE device_kinds (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            name_en TEXT NOT NULL,
            metrics TEXT NOT NULL,
            tracks_position INTEGER NOT NULL)
        """,
        """
        CREATE TABLE devices (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            kind_code TEXT NOT NULL,
            name TEXT NOT NULL,
            component_code TEXT,
            lon DOUBLE PRECISION NOT NULL,
            lat DOUBLE PRECISION NOT NULL,
            grid_cell_id TEXT REFERENCES grid_cells(id),
            area_id TEXT NOT NULL REFERENCES areas(id),
            area_path TEXT NOT NULL,
            department_id TEXT REFERENCES departments(id),
            state TEXT NOT NULL,
            last_reading_at BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX devices_area_path ON devices(area_path, kind_code)",
    ])
