import SQLKit

/// The pool singleton work writes through: every transaction first checks, inside itself, that
/// this node still leads under the epoch it holds (`ClusterRepository.check`), so a leader that
/// lost its lease while paused cannot write when it wakes. Reads pass through.
struct FencedPool: DatabasePool {
    let base: any DatabasePool
    let leadership: Leadership

    var backend: SQLBackend { base.backend }
    var ordersWrites: Bool { base.ordersWrites }
    var failedCommits: Int { base.failedCommits }

    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T { try await base.read(body) }

    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await base.transaction { db in
            try await fence(db)
            return try await body(db)
        }
    }

    func transaction<T>(queued: () -> Void, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await base.transaction(queued: queued) { db in
            try await fence(db)
            return try await body(db)
        }
    }

    private func fence(_ db: any SQLDatabase) async throws {
        // Within a claimed round, the epoch it was claimed under, which must still be the one held.
        guard let epoch = leadership.writeEpoch, epoch == leadership.epoch else {
            throw FencedOut(epoch: leadership.writeEpoch)
        }
        try await ClusterRepository().check(epoch: epoch, on: db)
    }

    /// The base pool is closed by its owner.
    func close() async {}
}
