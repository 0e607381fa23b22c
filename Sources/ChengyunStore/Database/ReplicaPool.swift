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
    private let state: Mutex<State>
    private let logger: Logger

    struct State {
        var lag: ReplicaLag
        /// The lag at the last check, and when that check was (a read adds the time since).
        var current: Int64?
        var checkedAt = ContinuousClock.now
        /// Whether the standby follows this primary (same `system_identifier`); nil until known.
        var sameCluster: Bool?
        var failedRead = false
    }

    public init(primary: any DatabasePool, replica: PostgresDatabasePool, maxLagMillis: Int64, logger: Logger) {
        self.primary = primary
        self.replica = replica
        self.maxLagMillis = maxLagMillis
        self.logger = logger
        state = Mutex(State(lag: ReplicaLag(horizonMillis: max(60_000, 4 * min(maxLagMillis, 600_000)))))
    }

    public var backend: SQLBackend { primary.backend }
    public var ordersWrites: Bool { primary.ordersWrites }
    public var failedCommits: Int { primary.failedCommits }
    public func leaseLock() -> any LeaseLock { primary.leaseLock() }

    /// The replica's lag at the last check (nil: not known, or the replica did not answer).
    public var lagMillis: Int64? { state.withLock { $0.current } }
    /// Whether reads go to the replica now: it follows this primary, its last read did not fail,
    /// and its lag at the last check plus the time since is within the bound (so a check that is
    /// late — a busy primary, a standby slow to answer — runs the bound out instead of keeping it).
    public var usesReplica: Bool {
        state.withLock { s in
            guard s.sameCluster == true, !s.failedRead, let lag = s.current else { return false }
            let since = (ContinuousClock.now - s.checkedAt).components
            return lag + since.seconds * 1000 + since.attoseconds / 1_000_000_000_000_000 <= maxLagMillis
        }
    }

    public func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        guard usesReplica else { return try await primary.read(body) }
        do {
            return try await replica.read(body)
        } catch let error as DomainError {
            throw error // the route's own answer (not found, forbidden…), not the standby's failing
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // A standby gone, or a read cancelled for replay, is no reason to fail the route.
            logger.warning("replica read failed; reading the primary", metadata: ["error": "\(loggedError(error))"])
            state.withLock { $0.failedRead = true }
            return try await primary.read(body)
        }
    }

    public func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await primary.transaction(body)
    }

    public func transaction<T>(queued: () -> Void, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await primary.transaction(queued: queued, body)
    }

    /// One check: the primary's WAL position noted, the standby's replayed position read (each
    /// query given 3 s), and on the first answer of both, whether the standby follows this
    /// primary at all. Returns the lag (nil: unknown, and reads go to the primary).
    @discardableResult
    public func watch(now: Int64) async -> Int64? {
        do {
            if state.withLock({ $0.sameCluster }) == nil {
                let (mine, its) = (try await Self.system(primary), try await Self.system(replica))
                state.withLock { $0.sameCluster = mine == its }
                if mine != its {
                    logger.error(
                        "the replica is not a standby of this database's server (system identifiers differ): not used")
                }
            }
            let position = try await Self.answer(primary) { db in
                try await db.raw("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint AS p").first()?
                    .decode(column: "p", as: Int64.self)
            }
            if let position { state.withLock { $0.lag.record(primary: position, at: now) } }
            // No row when the server is not a standby (promoted, say): not used.
            let replayed = try await Self.answer(replica) { db in
                try await db.raw(
                    "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint AS p WHERE pg_is_in_recovery()"
                ).first()?.decode(column: "p", as: Int64?.self)
            }
            if replayed == nil, state.withLock({ $0.current }) != nil {
                logger.warning("the replica is no longer a standby (promoted?): reads go to the primary")
            }
            return state.withLock { s in
                let lag = replayed.map { s.lag.lag(replayed: $0, now: now) }
                (s.current, s.checkedAt, s.failedRead) = (lag, .now, false)
                return lag
            }
        } catch {
            logger.warning("replica check failed", metadata: ["error": "\(loggedError(error))"])
            state.withLock { $0.current = nil }
            return nil
        }
    }

    private static func system(_ pool: any DatabasePool) async throws -> Int64? {
        try await answer(pool) { db in
            try await db.raw("SELECT system_identifier AS s FROM pg_control_system()").first()?
                .decode(column: "s", as: Int64.self)
        }
    }

    /// A read that answers within 3 s or throws.
    private static func answer<T: Sendable>(
        _ pool: any DatabasePool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    )
        async throws -> T
    {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await pool.read(body) }
            group.addTask {
                try await Task.sleep(for: .seconds(3))
                throw ReplicaTimeout()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw ReplicaTimeout() }
            return first
        }
    }

    /// Closes the standby's pool (the primary belongs to its owner).
    public func close() async {
        await replica.close()
    }
}

struct ReplicaTimeout: Error, CustomStringConvertible {
    var description: String { "the query did not answer within 3 s" }
}
