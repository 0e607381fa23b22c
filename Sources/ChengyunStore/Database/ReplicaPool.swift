import ChengyunCore
import Logging
import SQLKit
import Synchronization

/// The pool read-only routes use when a read replica is configured: reads go to the replica
/// while it is close enough behind (`ReplicaLag`, checked by `watch` every second) and to the
/// primary otherwise, or when a replica read fails; transactions always go to the primary. Only
/// routes that read and never write what they just read are given it (README, "Read replica").
public final class ReplicaPool: DatabasePool {
    public let primary: any DatabasePool
    let replica: PostgresDatabasePool
    /// The most a read may trail the primary's writes.
    public let maxLagMillis: Int64
    private let state: Mutex<(lag: ReplicaLag, current: Int64?, usable: Bool)>
    private let logger: Logger

    public init(primary: any DatabasePool, replica: PostgresDatabasePool, maxLagMillis: Int64, logger: Logger) {
        self.primary = primary
        self.replica = replica
        self.maxLagMillis = maxLagMillis
        self.logger = logger
        state = Mutex((ReplicaLag(horizonMillis: max(60_000, 4 * maxLagMillis)), nil, false))
    }

    public var backend: SQLBackend { primary.backend }
    public var ordersWrites: Bool { primary.ordersWrites }
    public var failedCommits: Int { primary.failedCommits }
    public func leaseLock() -> any LeaseLock { primary.leaseLock() }

    /// The replica's lag at the last check (nil: not known, or the replica did not answer).
    public var lagMillis: Int64? { state.withLock { $0.current } }
    /// Whether reads go to the replica now.
    public var usesReplica: Bool { state.withLock { $0.usable } }

    public func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        guard usesReplica else { return try await primary.read(body) }
        do {
            return try await replica.read(body)
        } catch {
            // A replica gone (or cancelling a read for replay) is no reason to fail the route.
            logger.warning("replica read failed; reading the primary", metadata: ["error": "\(loggedError(error))"])
            state.withLock { $0.usable = false }
            return try await primary.read(body)
        }
    }

    public func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await primary.transaction(body)
    }

    public func transaction<T>(queued: () -> Void, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await primary.transaction(queued: queued, body)
    }

    /// One check: the primary's WAL position noted, the replica's replayed position read, reads
    /// sent to the replica only while it trails by `maxLagMillis` or less. Returns the lag.
    @discardableResult
    public func watch(now: Int64) async -> Int64? {
        do {
            let position = try await primary.read { db in
                try await db.raw("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS p").first()?
                    .decode(column: "p", as: Int64.self)
            }
            if let position { state.withLock { $0.lag.record(primary: position, at: now) } }
            // NULL when the server is not a standby (a promoted one, or a wrong URL): not used.
            let replayed = try await replica.read { db in
                try await db.raw(
                    "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint AS p WHERE pg_is_in_recovery()"
                ).first()?.decode(column: "p", as: Int64?.self)
            }
            return state.withLock { state in
                let lag = replayed.map { state.lag.lag(replayed: $0, now: now) }
                state.current = lag
                state.usable = lag.map { $0 <= maxLagMillis } ?? false
                return lag
            }
        } catch {
            logger.warning("replica check failed", metadata: ["error": "\(loggedError(error))"])
            state.withLock {
                $0.current = nil
                $0.usable = false
            }
            return nil
        }
    }

    public func close() async {
        await replica.close()
    }
}
