import Logging
import SQLKit

public enum SQLBackend: String, Sendable, CaseIterable {
    case sqlite, postgres
}

/// Connections to the one database the platform runs on. Repositories take the `SQLDatabase`
/// these hand out, so the same code runs on SQLite and PostgreSQL.
public protocol DatabasePool: Sendable {
    var backend: SQLBackend { get }
    /// Runs `body` with a connection for reads (no transaction).
    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs `body` inside one transaction: committed when it returns, rolled back when it throws.
    /// When this returns, the writes are durable.
    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    func close() async
}

/// Opens the database a location names: `sqlite:PATH`, a plain file path, or `postgres://…`.
public func openDatabase(_ location: String, logger: Logger) async throws -> any DatabasePool {
    switch try DatabaseLocation(location) {
    case .sqlite(let path):
        try await SQLiteDatabasePool(path: path, logger: logger)
    case .postgres(let settings):
        try await PostgresDatabasePool(settings: settings, logger: logger)
    }
}
