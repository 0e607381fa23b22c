/// Aggregation (数据汇聚): each dataset's cleaning pipeline, the loads that filled it with their
/// quality reports, and where its records are (a table of its own, made at its first load).
let m042DatasetLoads = Migration(
    version: 42, name: "dataset_loads",
    statements: { _ in
        [
            """
            CREATE TABLE dataset_pipelines (
                dataset_id TEXT PRIMARY KEY REFERENCES datasets(id),
                document TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE dataset_tables (
                dataset_id TEXT PRIMARY KEY REFERENCES datasets(id),
                table_name TEXT NOT NULL UNIQUE,
                columns TEXT NOT NULL,
                version BIGINT NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE dataset_loads (
                id TEXT PRIMARY KEY,
                dataset_id TEXT NOT NULL REFERENCES datasets(id),
                version BIGINT NOT NULL,
                source TEXT NOT NULL,
                format TEXT NOT NULL,
                rows_in BIGINT NOT NULL,
                kept BIGINT NOT NULL,
                corrected BIGINT NOT NULL,
                refused BIGINT NOT NULL,
                report TEXT NOT NULL,
                loaded_by TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                finished_at BIGINT NOT NULL,
                UNIQUE (dataset_id, version))
            """,
        ]
    })
