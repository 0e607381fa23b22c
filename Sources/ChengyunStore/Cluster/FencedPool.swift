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
        let epoch = try writeEpoch()
        return try await base.transaction { db in
            try await ClusterRepository().check(epoch: epoch, on: db)
            return try await body(db)
        }
    }

    func transaction<T>(queued: () -> Void, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let epoch = try writeEpoch()
        return try await base.transaction(queued: queued) { db in
            try await ClusterRepository().check(epoch: epoch, on: db)
            return try await body(db)
        }
    }

    /// The epoch the caller's writes go under — within a claimed round, the one it was claimed
    /// under, which must still be the one held. Read on the caller's task, before the transaction:
    /// on SQLite a queued body runs on the task that commits the group.
    private func writeEpoch() throws -> Int64 {
        guard let epoch = leadership.writeEpoch, epoch == leadership.epoch else {
            throw FencedOut(epoch: leadership.writeEpoch)
        }
        return epoch
    }

    /// The base pool is closed by its owner.
    func close() async {}
}
