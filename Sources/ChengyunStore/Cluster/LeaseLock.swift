import ChengyunCore
import Logging
import PostgresNIO

/// Where the leader's lease is held. The lease is the lock; the epoch in `cluster_leader` is
/// the fence that goes with it.
public protocol LeaseLock: Sendable {
    /// Takes the lease if nobody holds it; true when this node holds it now.
    func acquire() async throws -> Bool
    /// Whether the lease is still held (its connection still answers).
    func isHeld() async -> Bool
    /// Lets go at once (on shutdown), so another node can lead without waiting.
    func release() async
}

/// A database only this process opens (SQLite): the lease is always here.
public struct ProcessLease: LeaseLock {
    public init() {}
    public func acquire() async throws -> Bool { true }
    public func isHeld() async -> Bool { true }
    public func release() async {}
}

/// PostgreSQL: a session advisory lock on a connection of its own, outside the pool, so it can
/// never leak to a pooled connection's next user. The lock lives exactly as long as the
/// connection: when the process dies, PostgreSQL ends its session and the lock is free at once.
public final class PostgresLease: LeaseLock {
    private let connect: @Sendable () async throws -> PostgresConnection
    private let key: Int64
    /// Seconds the lease's connection has to answer `isHeld`.
    private let timeout: Int
    private let logger: Logger
    private let connection = AsyncSlot<PostgresConnection>()

    init(
        key: Int64, timeout: Int, logger: Logger, connect: @escaping @Sendable () async throws -> PostgresConnection
    ) {
        self.key = key
        self.timeout = timeout
        self.logger = logger
        self.connect = connect
    }

    public func acquire() async throws -> Bool {
        let conn: PostgresConnection
        if let open = await connection.value, !open.isClosed {
            conn = open
        } else {
            conn = try await connect()
            // A process that stops answering (paused, cut off) must not hold the lease for the
            // hours a half-open TCP connection can last: the server ends a session idle this long
            // (the lease is asked after every second) and probes the link. Older servers without
            // idle_session_timeout (before 14) keep the keepalives.
            _ = try? await answered(on: conn) { [timeout, logger] in
                for setting in [
                    "SET idle_session_timeout = '\(max(10, 3 * timeout))s'", "SET tcp_keepalives_idle = 5",
                    "SET tcp_keepalives_interval = 2", "SET tcp_keepalives_count = 3",
                ] {
                    _ = try? await conn.query(PostgresQuery(unsafeSQL: setting), logger: logger)
                }
                return true
            }
            await connection.set(conn)
        }
        return try await answered(on: conn) { [key, logger] in
            let rows = try await conn.query("SELECT pg_try_advisory_lock(\(key)) AS held", logger: logger)
            for try await held in rows.decode(Bool.self) { return held }
            return false
        }
    }

    public func isHeld() async -> Bool {
        guard let conn = await connection.value, !conn.isClosed else { return false }
        // A bigint key shows in pg_locks as its high and low halves.
        let bits = UInt64(bitPattern: key)
        let (high, low) = (Int64(bits >> 32), Int64(bits & 0xffff_ffff))
        do {
            return try await answered(on: conn) { [logger] in
                let rows = try await conn.query(
                    "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid::bigint = \(high) AND objid::bigint = \(low) AND objsubid = 1 AND granted",
                    logger: logger)
                for try await n in rows.decode(Int64.self) { return n > 0 }
                return false
            }
        } catch {
            logger.warning("lease connection lost", metadata: ["error": "\(loggedError(error))"])
            await connection.set(nil)
            try? await conn.close()
            return false
        }
    }

    /// `query`'s answer within `timeout` seconds, or `LeaseTimeout`: the connection is closed
    /// then (or when this task is cancelled first), which also ends the query — a PostgresNIO
    /// query does not stop when its task is cancelled, and the task group would wait for it.
    func answered(
        on conn: PostgresConnection, _ query: @escaping @Sendable () async throws -> Bool
    ) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool?.self) { group in
            group.addTask { try await query() }
            group.addTask { [timeout] in
                try? await Task.sleep(for: .seconds(timeout))
                return nil
            }
            defer { group.cancelAll() }
            if case .some(.some(let answer)) = try await group.next() { return answer }
            try? await conn.close()
            throw LeaseTimeout(seconds: timeout)
        }
    }

    public func release() async {
        guard let conn = await connection.value else { return }
        await connection.set(nil)
        try? await conn.close()
    }
}

struct LeaseTimeout: Error, CustomStringConvertible {
    var seconds: Int
    var description: String { "the lease's connection did not answer within \(seconds) s" }
}

/// One value shared by the tasks of a lease.
actor AsyncSlot<Value: Sendable> {
    private(set) var value: Value?
    func set(_ value: Value?) { self.value = value }
}
