/// Patrol tasks (巡查任务) and their on-site check-ins; supervision orders may now be on a task
/// (addressed to its inspector) instead of a case. SQLite cannot drop a NOT NULL, so there the
/// orders table is rebuilt with its rows.
let m016Patrol = Migration(
    version: 16, name: "patrol",
    statements: { backend in
        let tasks = [
            """
            CREATE TABLE patrol_tasks (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                checklist TEXT NOT NULL,
                cell_ids TEXT NOT NULL,
                area_path TEXT NOT NULL,
                inspector_id TEXT NOT NULL REFERENCES users(id),
                inspector_name TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                deadline BIGINT NOT NULL,
                state TEXT NOT NULL,
                started_at BIGINT,
                completed_at BIGINT,
                note TEXT)
            """,
            "CREATE INDEX patrol_tasks_area ON patrol_tasks(area_path, created_at)",
            "CREATE INDEX patrol_tasks_inspector ON patrol_tasks(inspector_id, state)",
            """
            CREATE TABLE patrol_check_ins (
                id TEXT PRIMARY KEY,
                task_id TEXT NOT NULL REFERENCES patrol_tasks(id),
                cell_id TEXT NOT NULL,
                cell_code TEXT NOT NULL,
                lon DOUBLE PRECISION NOT NULL,
                lat DOUBLE PRECISION NOT NULL,
                at BIGINT NOT NULL,
                by_user TEXT NOT NULL,
                note TEXT)
            """,
            "CREATE INDEX patrol_check_ins_task ON patrol_check_ins(task_id, at)",
        ]
        let orders: [String]
        switch backend {
        case .postgres:
            orders = [
                "ALTER TABLE supervision_orders ALTER COLUMN case_id DROP NOT NULL",
                "ALTER TABLE supervision_orders ALTER COLUMN case_number DROP NOT NULL",
                "ALTER TABLE supervision_orders ADD COLUMN task_id TEXT REFERENCES patrol_tasks(id)",
                "ALTER TABLE supervision_orders ADD COLUMN task_number TEXT",
                "ALTER TABLE supervision_orders ADD COLUMN assignee_id TEXT",
            ]
        case .sqlite:
            orders = [
                """
                CREATE TABLE supervision_orders_next (
                    id TEXT PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    case_id TEXT REFERENCES cases(id),
                    case_number TEXT,
                    task_id TEXT REFERENCES patrol_tasks(id),
                    task_number TEXT,
                    assignee_id TEXT,
                    area_path TEXT NOT NULL,
                    department_ids TEXT NOT NULL,
                    issued_by TEXT NOT NULL,
                    issued_by_name TEXT NOT NULL,
                    automatic INTEGER NOT NULL,
                    issued_at BIGINT NOT NULL,
                    deadline BIGINT NOT NULL,
                    letter TEXT NOT NULL,
                    state TEXT NOT NULL,
                    read_at BIGINT,
                    read_by TEXT,
                    response TEXT,
                    responded_at BIGINT,
                    responded_by TEXT)
                """,
                """
                INSERT INTO supervision_orders_next (id, number, case_id, case_number, area_path, department_ids, issued_by, issued_by_name,
                    automatic, issued_at, deadline, letter, state, read_at, read_by, response, responded_at, responded_by)
                SELECT id, number, case_id, case_number, area_path, department_ids, issued_by, issued_by_name,
                    automatic, issued_at, deadline, letter, state, read_at, read_by, response, responded_at, responded_by FROM supervision_orders
                """,
                "DROP TABLE supervision_orders",
                "ALTER TABLE supervision_orders_next RENAME TO supervision_orders",
                "CREATE INDEX supervision_orders_case ON supervision_orders(case_id, issued_at)",
                "CREATE INDEX supervision_orders_area ON supervision_orders(area_path, issued_at)",
            ]
        }
        return tasks + orders + ["CREATE INDEX supervision_orders_task ON supervision_orders(task_id, issued_at)"]
    })
