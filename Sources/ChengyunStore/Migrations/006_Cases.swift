/// Cases, their history, finished stages, reporters and the daily number sequences.
let m006Cases = Migration(
    version: 6, name: "cases",
    sql: [
        """
        CREATE TABLE cases (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            matter_id TEXT NOT NULL REFERENCES matters(id),
            matter_version BIGINT NOT NULL,
            major_code TEXT NOT NULL,
            minor_code TEXT NOT NULL,
            urgency TEXT NOT NULL,
            state TEXT NOT NULL,
            source TEXT NOT NULL,
            description TEXT NOT NULL,
            address TEXT,
            lon DOUBLE PRECISION NOT NULL,
            lat DOUBLE PRECISION NOT NULL,
            bucket_x BIGINT NOT NULL,
            bucket_y BIGINT NOT NULL,
            bucket BIGINT NOT NULL,
            grid_cell_id TEXT REFERENCES grid_cells(id) ON DELETE SET NULL,
            area_id TEXT NOT NULL REFERENCES areas(id),
            area_path TEXT NOT NULL,
            reporter_kind TEXT NOT NULL,
            reporter_id TEXT,
            reporter_name TEXT,
            reporter_contact TEXT,
            department_ids TEXT NOT NULL,
            pending_request TEXT,
            requested_minutes BIGINT,
            duplicate_of TEXT REFERENCES cases(id),
            duplicate_count BIGINT NOT NULL,
            reopen_count BIGINT NOT NULL,
            rework_count BIGINT NOT NULL,
            extension_count BIGINT NOT NULL,
            custom_fields TEXT NOT NULL,
            stage_clock TEXT,
            stage_deadline BIGINT,
            case_deadline BIGINT,
            reported_at BIGINT NOT NULL,
            filed_at BIGINT,
            closed_at BIGINT,
            updated_at BIGINT NOT NULL,
            revision BIGINT NOT NULL)
        """,
        "CREATE INDEX cases_state ON cases(state, stage_deadline)",
        "CREATE INDEX cases_area_path ON cases(area_path)",
        "CREATE INDEX cases_reported_at ON cases(reported_at)",
        // Covering indexes for the evaluation's per-period counts by area.
        "CREATE INDEX cases_filed_at ON cases(filed_at, area_path, source)",
        "CREATE INDEX cases_closed_at ON cases(closed_at, area_path, case_deadline)",
        "CREATE INDEX cases_matter ON cases(matter_id)",
        // The duplicate check seeks each nearby bucket, then the recent reports in it.
        "CREATE INDEX cases_duplicates ON cases(kind, major_code, minor_code, bucket, reported_at)",
        """
        CREATE TABLE case_events (
            case_id TEXT NOT NULL REFERENCES cases(id),
            seq BIGINT NOT NULL,
            at BIGINT NOT NULL,
            actor_kind TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            actor_name TEXT NOT NULL,
            action TEXT NOT NULL,
            from_state TEXT,
            to_state TEXT NOT NULL,
            note TEXT,
            attachments TEXT NOT NULL,
            detail TEXT,
            PRIMARY KEY (case_id, seq))
        """,
        "CREATE INDEX case_events_at ON case_events(at)",
        """
        CREATE TABLE case_stages (
            case_id TEXT NOT NULL REFERENCES cases(id),
            seq BIGINT NOT NULL,
            stage TEXT NOT NULL,
            started_at BIGINT NOT NULL,
            deadline BIGINT,
            limit_millis BIGINT NOT NULL,
            used_millis BIGINT NOT NULL,
            finished_at BIGINT,
            on_time BIGINT,
            ended_by TEXT,
            actor_id TEXT,
            department_id TEXT,
            PRIMARY KEY (case_id, seq))
        """,
        // Covering index for the evaluation's per-period aggregate.
        "CREATE INDEX case_stages_finished ON case_stages(finished_at, stage, ended_by, actor_id, department_id, on_time)",
        "CREATE INDEX case_events_action ON case_events(action, at, case_id, seq, actor_id)",
        // Finished stages counted per local day, kept in the same transaction as each stage record, so
        // an evaluation reads a few rows per day instead of every stage (empty strings, not NULLs, so
        // the key is unique).
        """
        CREATE TABLE stage_daily (
            day BIGINT NOT NULL,
            stage TEXT NOT NULL,
            ended_by TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            department_id TEXT NOT NULL,
            n BIGINT NOT NULL,
            on_time BIGINT NOT NULL,
            PRIMARY KEY (day, stage, ended_by, actor_id, department_id))
        """,
        """
        CREATE TABLE case_reporters (
            case_id TEXT NOT NULL REFERENCES cases(id),
            report_case_id TEXT NOT NULL REFERENCES cases(id),
            kind TEXT NOT NULL,
            reporter_id TEXT,
            name TEXT,
            contact TEXT,
            source TEXT NOT NULL,
            reported_at BIGINT NOT NULL,
            PRIMARY KEY (case_id, report_case_id))
        """,
        """
        CREATE TABLE case_number_sequences (
            prefix TEXT PRIMARY KEY,
            last BIGINT NOT NULL)
        """,
    ])
