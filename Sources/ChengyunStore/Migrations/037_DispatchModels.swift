/// Learned dispatch (`DispatchModel`): every trained version with its held-out figures and the
/// model itself (JSON), and every dispatcher's choice that differed from the model's best — each a
/// lesson for the next training even before its case closes.
let m037DispatchModels = Migration(
    version: 37, name: "dispatch_models",
    statements: { _ in
        [
            """
            CREATE TABLE dispatch_models (
                version INTEGER PRIMARY KEY,
                trained_at BIGINT NOT NULL,
                trigger_kind TEXT NOT NULL,
                trained_by TEXT NOT NULL,
                examples INTEGER NOT NULL,
                held_out_cases INTEGER NOT NULL,
                accuracy DOUBLE PRECISION NOT NULL,
                top3_accuracy DOUBLE PRECISION NOT NULL,
                auto_precision DOUBLE PRECISION NOT NULL,
                auto_coverage DOUBLE PRECISION NOT NULL,
                threshold DOUBLE PRECISION NOT NULL,
                model TEXT NOT NULL)
            """,
            """
            CREATE TABLE dispatch_corrections (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                model_version INTEGER NOT NULL,
                suggested TEXT NOT NULL,
                confidence DOUBLE PRECISION NOT NULL,
                chosen TEXT NOT NULL,
                dispatcher_id TEXT NOT NULL,
                corrected_at BIGINT NOT NULL)
            """,
            "CREATE INDEX dispatch_corrections_case ON dispatch_corrections(case_id)",
            "CREATE INDEX dispatch_corrections_at ON dispatch_corrections(corrected_at)",
        ]
    })
