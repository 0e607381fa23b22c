import Foundation
import Logging
import SQLKit
import Synchronization
import Tracing

/// The embedded default: one SQLite file in WAL mode, driven directly (see `SQLiteHandle`).
/// Writes go through a single writer connection (SQLite allows one writer at a time, and
/// queueing here is cheaper than SQLite's busy-wait) with group commit: transactions that arrive
/// together share one commit and one fsync (see `GroupCommit`), run on the writer's own thread
/// (`WriterThread`). Reads use a few reader connections that WAL lets run beside the
/// writer. `synchronous=FULL`: a committed transaction survives power loss, not only a crash.
public final class SQLiteDatabasePool: DatabasePool {
    public let backend = SQLBackend.sqlite
    public let path: String
    private let writer: SQLiteHandle
    private let group = GroupCommit(executor: WriterThread())
    private let readers: ConnectionPool<SQLiteHandle>
    private let logger: Logger
    /// Copies committed WAL frames into the database file beside the writer, so commits do not
    /// stop to checkpoint (SQLite's automatic checkpoint runs inside the committing call).
    private let checkpointer: Task<Void, Never>
    /// The first `close`'s work, which a later `close` waits for rather than repeats: a pool closed
    /// by its server as it stops may be closed again by whoever opened it (as a PostgreSQL pool may).
    private let closing = Mutex<Task<Void, Never>?>(nil)

    public init(path: String, readers readerCount: Int = 4, logger: Logger) async throws {
        self.path = path
        self.logger = logger
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var opened: [SQLiteHandle] = []
        do {
            for _ in 0..<(readerCount + 1) {
                let handle = try SQLiteHandle(path: path)
                opened.append(handle)
                try await Self.configure(SQLiteDirectDatabase(handle: handle, logger: logger))
            }
        } catch {
            for handle in opened { handle.close() }
            throw error
        }
        writer = opened[0]
        readers = ConnectionPool(Array(opened.dropFirst()))
        try Self.leaveCheckpointsToTheCheckpointer(writer)
        checkpointer = try Self.checkpointer(path: path, logger: logger)
    }

    /// The writer checkpoints by itself only as a safety valve (a WAL of 1 GB; the page size is
    /// the file's own, 64 KB for files made before migration 018's time).
    static func leaveCheckpointsToTheCheckpointer(_ writer: SQLiteHandle) throws {
        var pageSize = 4096
        try writer.query("PRAGMA page_size", []) { row in
            if case .integer(let size) = row.values[0] { pageSize = size }
        }
        try writer.query("PRAGMA wal_autocheckpoint = \((1 << 30) / max(512, pageSize))", []) { _ in }
    }

    /// Copies committed WAL frames into the file every half second on a connection of its own.
    static func checkpointer(path: String, logger: Logger) throws -> Task<Void, Never> {
        let checkpointing = try SQLiteHandle(path: path)
        try configure(checkpointing)
        let wal = path + "-wal"
        return Task.detached {
            // Through the direct database: a checkpoint waits on the disk off the cooperative threads.
            let db = SQLiteDirectDatabase(handle: checkpointing, logger: logger)
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                _ = try? await db.raw("PRAGMA wal_checkpoint(PASSIVE)").run()
                // Under a steady stream of writes a passive checkpoint never finds the log all
                // copied, so the log never starts over and the file only grows. Past four times
                // the limit, one truncating checkpoint waits for a quiet moment, copies the rest
                // and cuts the file to nothing.
                let size = (try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? NSNumber
                if (size?.intValue ?? 0) > 4 * walSizeLimit {
                    _ = try? await db.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
                }
            }
            checkpointing.close()
        }
    }

    /// For new files (an existing file keeps the size it was made with).
    public static let pageSize = 16384

    /// The pragmas every connection gets (hand-written baselines apply the same).
    static func configure(_ handle: SQLiteHandle) throws {
        let pragmas = [
            // busy_timeout first: switching to WAL takes a lock another connection may hold.
            "PRAGMA busy_timeout = 10000", "PRAGMA page_size = \(pageSize)", "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = FULL",
            "PRAGMA foreign_keys = ON",
            // Savepoint journals (one per group-commit member) in memory, not in temporary files.
            "PRAGMA temp_store = MEMORY",
            // 64 MB of page cache a connection: a telemetry batch touches pages all over the readings
            // index, and with the default 8 MB the writer spills them mid-transaction and reads them back.
            "PRAGMA cache_size = -65536",
            // The WAL file keeps the largest size it ever reached unless told otherwise: once every
            // frame is checkpointed, the next write starts the log over and cuts the file back to this.
            "PRAGMA journal_size_limit = \(walSizeLimit)",
        ]
        for pragma in pragmas { try handle.query(pragma, []) { _ in } }
    }

    private static func configure(_ db: SQLiteDirectDatabase) async throws { try configure(db.handle) }

    /// What the WAL file is cut back to when the log starts over (64 MB).
    public static let walSizeLimit = 64 << 20

    public func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await readers.withConnection { try await body(SQLiteDirectDatabase(handle: $0, logger: logger)) }
    }

    public func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction(queued: {}, body)
    }

    public var ordersWrites: Bool { true }
    public var failedCommits: Int { group.failedCommits }
    /// Commits so far and the transactions they carried (for benchmarks: the group size).
    public var committed: (commits: Int, members: Int) { group.committed }

    /// A transaction in the writer's queue, traced as a client span (a no-op without a tracer).
    public func transaction<T>(queued: () -> Void, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await withSpan("db.transaction", ofKind: .client) { span in
            span.attributes["db.system.name"] = "sqlite"
            return try await group.run(
                on: SQLiteDirectDatabase(handle: writer, logger: logger, waitsInline: true), queued: queued, body)
        }
    }

    public func close() async {
        let work = closing.withLock { work in
            if let work { return work }
            let first = Task { await self.shutDown() }
            work = first
            return first
        }
        await work.value
    }

    private func shutDown() async {
        checkpointer.cancel()
        await checkpointer.value
        // Wait for the writer's turn and every reader, so no statement is running when its
        // connection goes away; later callers then get a "connection closed" error.
        await group.shutdown { writer.close() }
        var held: [SQLiteHandle] = []
        for _ in readers.all { held.append(await readers.acquire()) }
        for handle in held {
            handle.close()
            await readers.release(handle)
        }
    }
}
