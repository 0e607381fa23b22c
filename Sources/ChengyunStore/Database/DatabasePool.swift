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
    /// Whether transactions run one at a time in the order they were queued (SQLite's single
    /// writer). Then `transaction(queued:_:)` calls `queued` as its place in that order is fixed
    /// (under the writer's queue lock: short, never suspending, never calling back into the pool).
    var ordersWrites: Bool { get }
    func transaction<T>(queued: () -> Void, _ body: (any SQLDatabase) async throws -> T) async throws -> T
    /// Commits that failed so far (where writes are ordered; else 0).
    var failedCommits: Int { get }
    /// Where the cluster's lead is held (`Leadership`).
    func leaseLock() -> any LeaseLock
    func close() async
}

extension DatabasePool {
    public var ordersWrites: Bool { false }
    public var failedCommits: Int { 0 }
    public func leaseLock() -> any LeaseLock { ProcessLease() }

    /// Without an order to keep, a transaction's place is fixed when it begins.
    public func transaction<T>(queued: () -> Void, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction { db in
            queued()
            return try await body(db)
        }
    }
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
