/// The video-AI channel (视频智能分析): cameras' views, detections under review with their
/// snapshot, and administrators' per-class thresholds (the classes themselves ship as a file).
let m039Video = Migration(
    version: 39, name: "video",
    statements: { _ in
        [
            """
            CREATE TABLE camera_views (
                device_id TEXT PRIMARY KEY REFERENCES devices(id),
                heading DOUBLE PRECISION NOT NULL,
                view_angle DOUBLE PRECISION NOT NULL,
                view_range DOUBLE PRECISION NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE video_detections (
                id TEXT PRIMARY KEY,
                camera_id TEXT NOT NULL REFERENCES devices(id),
                camera_code TEXT NOT NULL,
                class_code TEXT NOT NULL,
                confidence DOUBLE PRECISION NOT NULL,
                box_x DOUBLE PRECISION NOT NULL,
                box_y DOUBLE PRECISION NOT NULL,
                box_width DOUBLE PRECISION NOT NULL,
                box_height DOUBLE PRECISION NOT NULL,
                snapshot_id TEXT NOT NULL REFERENCES attachments(id),
                detected_at BIGINT NOT NULL,
                last_detected_at BIGINT NOT NULL,
                sightings BIGINT NOT NULL,
                state TEXT NOT NULL,
                lon DOUBLE PRECISION NOT NULL,
                lat DOUBLE PRECISION NOT NULL,
                grid_cell_id TEXT,
                area_path TEXT NOT NULL,
                fields TEXT,
                case_id TEXT REFERENCES cases(id),
                discard_reason TEXT,
                note TEXT,
                reviewed_by TEXT,
                reviewed_at BIGINT)
            """,
            // Folding looks up one camera's recent sightings of a class; review lists a state in scope.
            "CREATE INDEX video_detections_camera ON video_detections(camera_id, class_code, last_detected_at)",
            "CREATE INDEX video_detections_state ON video_detections(state, area_path, detected_at)",
            "CREATE INDEX video_detections_snapshot ON video_detections(snapshot_id)",
            """
            CREATE TABLE video_class_settings (
                class_code TEXT PRIMARY KEY,
                threshold DOUBLE PRECISION NOT NULL,
                updated_at BIGINT NOT NULL,
                updated_by TEXT NOT NULL)
            """,
        ]
    })
