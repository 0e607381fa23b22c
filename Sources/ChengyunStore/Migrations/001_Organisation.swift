/// Areas, grid cells with their spatial index, departments.
let m001Organisation = Migration(
    version: 1, name: "organisation",
    sql: [
        """
        CREATE TABLE areas (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            level TEXT NOT NULL,
            parent_id TEXT REFERENCES areas(id),
            path TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX areas_parent ON areas(parent_id)",
        "CREATE INDEX areas_path ON areas(path)",
        """
        CREATE TABLE grid_cells (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            area_id TEXT NOT NULL REFERENCES areas(id),
            area_path TEXT NOT NULL,
            geometry TEXT NOT NULL,
            area_square_metres DOUBLE PRECISION NOT NULL,
            min_lon DOUBLE PRECISION NOT NULL,
            min_lat DOUBLE PRECISION NOT NULL,
            max_lon DOUBLE PRECISION NOT NULL,
            max_lat DOUBLE PRECISION NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX grid_cells_area ON grid_cells(area_id)",
        "CREATE INDEX grid_cells_area_path ON grid_cells(area_path)",
        """
        CREATE TABLE grid_cell_buckets (
            bucket_x BIGINT NOT NULL,
            bucket_y BIGINT NOT NULL,
            cell_id TEXT NOT NULL REFERENCES grid_cells(id) ON DELETE CASCADE,
            PRIMARY KEY (bucket_x, bucket_y, cell_id))
        """,
        "CREATE INDEX grid_cell_buckets_cell ON grid_cell_buckets(cell_id)",
        """
        CREATE TABLE departments (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            area_id TEXT NOT NULL REFERENCES areas(id),
            area_path TEXT NOT NULL,
            phone TEXT,
            active BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX departments_area_path ON departments(area_path)",
    ])
