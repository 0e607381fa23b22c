import SQLKit

/// Group commit for the single SQLite writer. Each caller runs its own transaction body, one at a
/// time, inside its own SAVEPOINT of a shared `BEGIN IMMEDIATE`; the caller that finishes while
/// nobody else is waiting (or when the batch is full) commits once for everyone in the batch.
/// Every caller returns only after that commit, so an answered write is still durable, and a
/// body that throws rolls back only its own savepoint. One fsync then covers many transactions.
actor GroupCommit {
    let maxBatch: Int
    private var busy = false
    private var turnQueue: [CheckedContinuation<Void, Never>] = []
    private var batchOpen = false
    private var batchCount = 0
    private var awaitingCommit: [CheckedContinuation<(any Error)?, Never>] = []

    init(maxBatch: Int = 64) { self.maxBatch = maxBatch }

    /// Waits for this caller's turn on the connection.
    func takeTurn() async {
        if busy {
            await withCheckedContinuation { turnQueue.append($0) }
        } else {
            busy = true
        }
    }

    /// Whether this caller must open the batch (BEGIN) before running its body.
    func needsBegin() -> Bool {
        if batchOpen { return false }
        batchOpen = true
        batchCount = 0
        return true
    }

    enum AfterBody {
        /// Others wait for a turn: hand the connection on and wait for whoever commits.
        case wait
        /// Commit now for the whole batch, then call `committed`.
        case commit
    }

    func bodyFinished() -> AfterBody {
        batchCount += 1
        return !turnQueue.isEmpty && batchCount < maxBatch ? .wait : .commit
    }

    /// Passes the turn to the next caller, then waits for the batch's commit result.
    func waitForCommit() async -> (any Error)? {
        await withCheckedContinuation { continuation in
            awaitingCommit.append(continuation)
            passTurn()
        }
    }

    /// Ends the batch: tells every waiting member how the commit went and passes the turn on.
    func committed(_ error: (any Error)?) {
        settle(error)
        passTurn()
    }

    /// Tells every waiting member how the commit went; the caller keeps the turn.
    private func settle(_ error: (any Error)?) {
        let members = awaitingCommit
        awaitingCommit = []
        batchOpen = false
        for member in members { member.resume(returning: error) }
    }

    private func openBatch() -> Bool { batchOpen }

    private func passTurn() {
        if turnQueue.isEmpty {
            busy = false
        } else {
            turnQueue.removeFirst().resume()
        }
    }
}

extension GroupCommit {
    /// Takes the last turn: commits a batch whose members are still waiting, then runs `close`.
    /// Later callers get their turn and whatever error the closed connection gives them.
    nonisolated func shutdown(on db: any SQLDatabase, _ close: () -> Void) async {
        await takeTurn()
        if await openBatch() {
            do {
                try await db.raw("COMMIT").run()
                await settle(nil)
            } catch {
                try? await db.raw("ROLLBACK").run()
                await settle(error)
            }
        }
        close()
        await passTurn()
    }

    /// Runs `body` as one member of a group-committed batch on `db`.
    nonisolated func run<T>(on db: any SQLDatabase, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        await takeTurn()
        if await needsBegin() {
            do {
                try await db.raw("BEGIN IMMEDIATE").run()
            } catch {
                await committed(error)
                throw error
            }
        }
        var outcome: Result<T, any Error>
        do {
            try await db.raw("SAVEPOINT member").run()
            outcome = .success(try await body(db))
            try await db.raw("RELEASE member").run()
        } catch {
            outcome = .failure(error)
            try? await db.raw("ROLLBACK TO member").run()
            try? await db.raw("RELEASE member").run()
        }
        let commitError: (any Error)?
        switch await bodyFinished() {
        case .wait:
            commitError = await waitForCommit()
        case .commit:
            do {
                try await db.raw("COMMIT").run()
                commitError = nil
            } catch {
                try? await db.raw("ROLLBACK").run()
                commitError = error
            }
            await committed(commitError)
        }
        if let commitError { throw commitError }
        return try outcome.get()
    }
}
