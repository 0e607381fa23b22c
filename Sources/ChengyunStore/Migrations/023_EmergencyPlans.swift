/// Emergency plans (each import a new version of its code), incidents, their tasks, notices,
/// resource requests and the resources assigned to them, and the append-only incident log.
let m023EmergencyPlans = Migration(
    version: 23, name: "emergency_plans",
    sql: [
        """
        CREATE TABLE emergency_plans (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL,
            version BIGINT NOT NULL,
            incident_type TEXT NOT NULL,
            name TEXT NOT NULL,
            document TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            UNIQUE (code, version))
        """,
        """
        CREATE TABLE incidents (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            incident_type TEXT NOT NULL,
            status TEXT NOT NULL,
            level TEXT,
            plan_code TEXT,
            plan_version BIGINT,
            headquarters TEXT,
            command_area_id TEXT REFERENCES areas(id),
            command_area_name TEXT,
            lon DOUBLE PRECISION NOT NULL,
            lat DOUBLE PRECISION NOT NULL,
            address TEXT,
            area_id TEXT NOT NULL REFERENCES areas(id),
            area_path TEXT NOT NULL,
            source_kind TEXT,
            source_id TEXT,
            facts TEXT NOT NULL,
            drill BIGINT NOT NULL,
            report_every_minutes BIGINT NOT NULL,
            last_report_at BIGINT,
            reported_by TEXT NOT NULL,
            reported_at BIGINT NOT NULL,
            activated_at BIGINT,
            closed_at BIGINT,
            summary TEXT,
            updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX incidents_area ON incidents(area_path, status)",
        """
        CREATE TABLE incident_tasks (
            id TEXT PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            step_code TEXT NOT NULL,
            title TEXT NOT NULL,
            level TEXT NOT NULL,
            owner_group TEXT,
            owner_name TEXT NOT NULL,
            department_ids TEXT NOT NULL,
            depends_on TEXT NOT NULL,
            status TEXT NOT NULL,
            deadline BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            assigned_at BIGINT,
            accepted_at BIGINT,
            done_at BIGINT,
            blocked_reason TEXT,
            updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id)",
        """
        CREATE TABLE incident_notices (
            id TEXT PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            task_id TEXT NOT NULL REFERENCES incident_tasks(id),
            department_id TEXT NOT NULL,
            text TEXT NOT NULL,
            at BIGINT NOT NULL)
        """,
        "CREATE INDEX incident_notices_incident ON incident_notices(incident_id)",
        """
        CREATE TABLE incident_resource_requests (
            id TEXT PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            task_id TEXT NOT NULL REFERENCES incident_tasks(id),
            kind TEXT NOT NULL,
            capability TEXT,
            quantity BIGINT NOT NULL,
            assigned BIGINT NOT NULL,
            at BIGINT NOT NULL)
        """,
        "CREATE INDEX incident_resource_requests_incident ON incident_resource_requests(incident_id)",
        """
        CREATE TABLE incident_resources (
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            resource_id TEXT NOT NULL REFERENCES emergency_resources(id),
            request_id TEXT REFERENCES incident_resource_requests(id),
            assigned_at BIGINT NOT NULL,
            PRIMARY KEY (incident_id, resource_id, assigned_at))
        """,
        """
        CREATE TABLE incident_log (
            id TEXT PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            seq BIGINT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            actor_name TEXT NOT NULL,
            at BIGINT NOT NULL)
        """,
        "CREATE UNIQUE INDEX incident_log_incident ON incident_log(incident_id, seq)",
    ])
