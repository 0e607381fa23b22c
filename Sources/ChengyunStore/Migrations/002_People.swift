/// Staff users and their roles, citizens, sessions, machine API keys.
let m002People = Migration(
    version: 2, name: "people",
    sql: [
        """
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            area_id TEXT NOT NULL REFERENCES areas(id),
            area_path TEXT NOT NULL,
            department_id TEXT REFERENCES departments(id),
            phone TEXT,
            active BIGINT NOT NULL,
            failed_attempts BIGINT NOT NULL,
            locked_until BIGINT,
            last_login_at BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX users_area_path ON users(area_path)",
        """
        CREATE TABLE user_roles (
            user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            PRIMARY KEY (user_id, role))
        """,
        """
        CREATE TABLE citizens (
            id TEXT PRIMARY KEY,
            phone TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            failed_attempts BIGINT NOT NULL,
            locked_until BIGINT,
            created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            subject_kind TEXT NOT NULL,
            subject_id TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL)
        """,
        "CREATE INDEX sessions_subject ON sessions(subject_kind, subject_id)",
        """
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            prefix TEXT NOT NULL UNIQUE,
            secret_hash TEXT NOT NULL,
            scopes TEXT NOT NULL,
            area_id TEXT NOT NULL REFERENCES areas(id),
            area_path TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT,
            last_used_at BIGINT)
        """,
        "CREATE INDEX api_keys_area_path ON api_keys(area_path)",
    ])
