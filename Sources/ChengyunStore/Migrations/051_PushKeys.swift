/// Push keys: a machine key made by a dataset's owner for the system that feeds the dataset,
/// loading into it alone (`data:push`).
let m051PushKeys = Migration(
    version: 51, name: "push_keys",
    statements: { _ in
        [
            "ALTER TABLE api_keys ADD COLUMN dataset_id TEXT REFERENCES datasets(id)",
            "CREATE INDEX api_keys_dataset ON api_keys(dataset_id)",
        ]
    })
