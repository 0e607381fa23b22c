import ChengyunCore
import SQLKit

/// One versioned step of the schema. Its statements run in one transaction together with the
/// row that records it, so a step that fails leaves the database as it was.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    /// The statements for a backend, given the time the migration runs (most ignore it).
    public var statements: @Sendable (SQLBackend, Int64) -> [String]

    public init(version: Int, name: String, statements: @escaping @Sendable (SQLBackend) -> [String]) {
        self.init(version: version, name: name, timedStatements: { backend, _ in statements(backend) })
    }

    public init(version: Int, name: String, timedStatements: @escaping @Sendable (SQLBackend, Int64) -> [String]) {
        self.version = version
        self.name = name
        self.statements = timedStatements
    }

    public init(version: Int, name: String, sql: [String]) {
        self.init(version: version, name: name, statements: { _ in sql })
    }
}

/// Applies pending migrations in version order and records each in `schema_migrations`.
public struct Migrator: Sendable {
    public var migrations: [Migration]

    public init(migrations: [Migration] = Migrations.all) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    public struct Applied: Sendable, Equatable {
        public var version: Int
        public var name: String
    }

    /// Runs every pending step; returns the ones it applied.
    @discardableResult
    public func migrate(_ pool: any DatabasePool, now: Int64 = EpochMillis.now()) async throws -> [Applied] {
        try await pool.transaction { db in
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """
            ).run()
        }
        var applied: [Applied] = []
        for migration in migrations {
            let didApply = try await pool.transaction { db -> Bool in
                if let postgres = pool as? PostgresDatabasePool {
                    // Two servers starting together must not both apply a step (to this schema).
                    try await db.raw("SELECT pg_advisory_xact_lock(\(bind: postgres.advisoryKey("migrate")))").run()
                }
                let existing = try await db.select().column("version").from("schema_migrations")
                    .where("version", .equal, migration.version).first()
                if existing != nil { return false }
                for statement in migration.statements(pool.backend, now) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(now))
                    .run()
                return true
            }
            if didApply { applied.append(Applied(version: migration.version, name: migration.name)) }
        }
        return applied
    }

    /// Versions recorded as applied, in order.
    public func appliedVersions(_ pool: any DatabasePool) async throws -> [Int] {
        try await pool.read { db in
            try await db.select().column("version").from("schema_migrations").orderBy("version").all()
                .map { try $0.decode(column: "version", as: Int.self) }
        }
    }
}

extension Migration {
    /// A `seq` primary key the database numbers in insert order (outbox and queue tables).
    static func sequenceColumn(_ backend: SQLBackend) -> String {
        switch backend {
        case .postgres: "seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        case .sqlite: "seq INTEGER PRIMARY KEY AUTOINCREMENT"
        }
    }
}
