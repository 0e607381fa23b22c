/// The data catalog (资源目录): one row per dataset, its metadata as a JSON document beside the
/// columns the catalog is searched and scoped by.
let m041DataCatalog = Migration(
    version: 41, name: "data_catalog",
    statements: { _ in
        [
            """
            CREATE TABLE datasets (
                id TEXT PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                origin TEXT NOT NULL,
                state TEXT NOT NULL,
                version BIGINT NOT NULL,
                owner_department_id TEXT REFERENCES departments(id),
                area_path TEXT NOT NULL,
                sharing_type TEXT NOT NULL,
                open_type TEXT NOT NULL,
                search_text TEXT NOT NULL,
                document TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                published_at BIGINT)
            """,
            "CREATE INDEX datasets_state ON datasets(state, area_path)",
            "CREATE INDEX datasets_owner ON datasets(owner_department_id)",
        ]
    })
