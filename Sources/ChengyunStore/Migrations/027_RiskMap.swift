/// The four-colour risk map: risk categories (the five shipped are written on first use), hazard
/// sources, each cell's level per category, and the history of level changes.
let m027RiskMap = Migration(
    version: 27, name: "risk_map",
    sql: [
        """
        CREATE TABLE risk_categories (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            rule TEXT NOT NULL,
            device_kinds TEXT NOT NULL,
            matter_codes TEXT NOT NULL)
        """,
        """
        CREATE TABLE hazard_sources (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            category TEXT NOT NULL REFERENCES risk_categories(code),
            lon DOUBLE PRECISION NOT NULL,
            lat DOUBLE PRECISION NOT NULL,
            grid_cell_id TEXT NOT NULL REFERENCES grid_cells(id),
            area_path TEXT NOT NULL,
            inherent_level TEXT NOT NULL,
            inherent_rank BIGINT NOT NULL,
            department_id TEXT REFERENCES departments(id),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX hazard_sources_cell ON hazard_sources(grid_cell_id, category)",
        """
        CREATE TABLE risk_cells (
            grid_cell_id TEXT NOT NULL REFERENCES grid_cells(id),
            category TEXT NOT NULL,
            level TEXT NOT NULL,
            facts TEXT NOT NULL,
            area_path TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (grid_cell_id, category))
        """,
        "CREATE INDEX risk_cells_area ON risk_cells(category, area_path)",
        """
        CREATE TABLE risk_changes (
            id TEXT PRIMARY KEY,
            grid_cell_id TEXT NOT NULL REFERENCES grid_cells(id),
            category TEXT NOT NULL,
            from_level TEXT NOT NULL,
            to_level TEXT NOT NULL,
            at BIGINT NOT NULL)
        """,
        "CREATE INDEX risk_changes_cell ON risk_changes(grid_cell_id, at)",
        "CREATE INDEX alarms_updated ON alarms(updated_at)",
    ])
