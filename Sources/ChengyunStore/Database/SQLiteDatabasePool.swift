import Foundation
import Logging
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The embedded default: one SQLite file in WAL mode. Writes go through a single writer
/// connection (SQLite allows one writer at a time, and queueing here is cheaper than SQLite's
/// busy-wait) with group commit: transactions that arrive together share one commit and one
/// fsync (see `GroupCommit`). Reads use a few reader connections that WAL lets run beside the
/// writer. `synchronous=FULL`: a committed transaction survives power loss, not only a crash.
public final class SQLiteDatabasePool: DatabasePool {
    public let backend = SQLBackend.sqlite
    public let path: String
    private let writer: SQLiteConnection
    private let group = GroupCommit()
    private let readers: ConnectionPool<SQLiteConnection>

    public init(path: String, readers readerCount: Int = 4, logger: Logger) async throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var opened: [SQLiteConnection] = []
        do {
            for _ in 0..<(readerCount + 1) {
                let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                opened.append(connection)
                try await Self.configure(connection)
            }
        } catch {
            for connection in opened { try? await connection.close() }
            throw error
        }
        writer = opened[0]
        readers = ConnectionPool(Array(opened.dropFirst()))
    }

    private static func configure(_ connection: SQLiteConnection) async throws {
        let db = connection.sql(queryLogLevel: nil)
        // busy_timeout first: switching to WAL takes a lock another connection may hold.
        try await db.raw("PRAGMA busy_timeout = 10000").run()
        try await db.raw("PRAGMA journal_mode = WAL").run()
        try await db.raw("PRAGMA synchronous = FULL").run()
        try await db.raw("PRAGMA foreign_keys = ON").run()
    }

    public func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await readers.withConnection { try await body($0.sql(queryLogLevel: nil)) }
    }

    public func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await group.run(on: writer.sql(queryLogLevel: nil), body)
    }

    public func close() async {
        for connection in [writer] + readers.all { try? await connection.close() }
    }
}
