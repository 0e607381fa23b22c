import SQLKit
import Synchronization

/// Group commit for the single SQLite writer, by flat combining. A caller that finds the writer
/// idle becomes the combiner: it opens a `BEGIN IMMEDIATE`, runs its own transaction body in a
/// SAVEPOINT, commits, and answers itself. Callers that arrive meanwhile queue their bodies; the
/// combiner (then a task it hands over to) runs each waiting batch back to back on one thread —
/// every body in its own SAVEPOINT, so one that throws rolls back alone — commits once for the
/// batch and only then resumes its members. An answered write is still durable; one fsync covers
/// many transactions, and no task switch sits between one member's statements and the next's.
///
/// The bodies of waiting callers run on the combiner's task while their own tasks are suspended
/// waiting for the answer, so nothing they capture is touched by two threads at once.
final class GroupCommit: Sendable {
    let maxBatch: Int

    /// One queued member: its body (kept with its outcome) and how to answer it after the commit.
    /// The body is dropped as soon as it has run, before the answer: the caller's closure must not
    /// outlive its call (`withoutActuallyEscaping` checks that).
    private final class Member: @unchecked Sendable {
        var body: ((any SQLDatabase) async -> Void)?
        let answer: ((any Error)?) -> Void
        init(body: @escaping (any SQLDatabase) async -> Void, answer: @escaping ((any Error)?) -> Void) {
            self.body = body
            self.answer = answer
        }

        func run(on db: any SQLDatabase) async {
            let body = self.body
            self.body = nil
            await body?(db)
        }
    }

    /// What a caller that found the combiner busy does once it holds the lock.
    private enum Turn { case queued, lead, closed }

    private struct State {
        var waiting: [Member] = []
        var combining = false
        var closed = false
    }

    private let state = Mutex(State())
    /// Where batches run (and COMMIT waits for its fsync); nil: wherever the caller runs.
    private let executor: WriterThread?

    init(maxBatch: Int = 64, executor: WriterThread? = nil) { (self.maxBatch, self.executor) = (maxBatch, executor) }

    struct Closed: Error, CustomStringConvertible {
        var description: String { "The database is closed." }
    }

    /// Batches whose COMMIT failed so far. Counted before their members are answered and before
    /// the next batch begins, so a body can tell whether a commit failed since some earlier moment.
    var failedCommits: Int { failures.load(ordering: .acquiring) }
    private let failures = Atomic(0)

    /// Commits made and transactions they carried (a member that rolled back alone counts too):
    /// their ratio is the group size, which `bench cases` gives its hand-written baseline.
    var committed: (commits: Int, members: Int) { (commits.load(ordering: .relaxed), members.load(ordering: .relaxed)) }
    private let commits = Atomic(0), members = Atomic(0)

    /// Runs `body` as one member of a group-committed batch on `db`. `queued` is called as the
    /// member's place in the writer's order is fixed, under the lock that fixes it — bodies run in
    /// the order of those calls. So `queued` must be short, must not suspend, and must not call
    /// back into the writer.
    func run<T>(on db: any SQLDatabase, queued: () -> Void = {}, _ body: (any SQLDatabase) async throws -> T)
        async throws -> T
    {
        // The body only runs before this call returns (it is answered after the commit).
        try await withoutActuallyEscaping(body) { body in try await enqueue(on: db, queued: queued, body) }
    }

    private func enqueue<T>(
        on db: any SQLDatabase, queued: () -> Void, _ body: @escaping (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let outcome = Outcome<T>()
        // Decided under the lock: lead (the writer is idle) or queue behind the running combiner.
        // `queued` runs under the lock that fixes the caller's place, so the order of `queued` calls
        // is the order of places, which is the order bodies run in.
        let lead: Bool? = state.withLock { state in
            if state.closed { return nil }
            if state.combining { return false }
            state.combining = true
            queued()
            return true
        }
        guard let lead else { throw Closed() }
        if lead {
            withUnsafeCurrentTask { $0?.escalatePriority(to: .high) }
            let member = Member(
                body: { db in await Self.runMember(body, on: db, into: outcome) }, answer: { outcome.commitError = $0 })
            await combine([member], on: db)
            return try outcome.result()
        }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let member = Member(
                body: { db in await Self.runMember(body, on: db, into: outcome) },
                answer: { error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else {
                        continuation.resume(with: Result { try outcome.result() })
                    }
                })
            // The combiner may have finished between the decision and now: then lead after all.
            let turn: Turn = state.withLock { state in
                if state.closed { return .closed }
                if !state.combining {
                    state.combining = true
                    queued()
                    return .lead
                }
                state.waiting.append(member)
                queued()
                return .queued
            }
            switch turn {
            case .queued: break
            case .closed: continuation.resume(throwing: Closed())
            case .lead:
                Task(executorPreference: executor, priority: .high) { await self.combine([member], on: db) }
            }
        }
    }

    /// Commits `batch`, then keeps taking what queued meanwhile; the first batch runs on the
    /// caller's task, later ones on a task of their own so the caller can answer.
    private func combine(_ first: [Member], on db: any SQLDatabase) async {
        await withTaskExecutorPreference(executor) { await commit(first, on: db) }
        let next = take()
        guard !next.isEmpty else { return }
        Task(executorPreference: executor, priority: .high) {
            var batch = next
            while !batch.isEmpty {
                await self.commit(batch, on: db)
                batch = self.take()
            }
        }
    }

    /// The next batch, or none — and then the writer is idle again.
    private func take() -> [Member] {
        state.withLock { state in
            let batch = Array(state.waiting.prefix(maxBatch))
            state.waiting.removeFirst(batch.count)
            if batch.isEmpty { state.combining = false }
            return batch
        }
    }

    private func commit(_ batch: [Member], on db: any SQLDatabase) async {
        var error: (any Error)?
        do {
            try await db.raw("BEGIN IMMEDIATE").run()
            for member in batch { await member.run(on: db) }
            do {
                try await db.raw("COMMIT").run()
            } catch let failure {
                try? await db.raw("ROLLBACK").run()
                error = failure
            }
        } catch let failure {
            error = failure
        }
        if error != nil {
            failures.add(1, ordering: .releasing)
        } else {
            commits.add(1, ordering: .relaxed)
            members.add(batch.count, ordering: .relaxed)
        }
        for member in batch {
            member.body = nil // not run: BEGIN failed
            member.answer(error)
        }
    }

    private static func runMember<T>(
        _ body: (any SQLDatabase) async throws -> T, on db: any SQLDatabase, into outcome: Outcome<T>
    ) async {
        do {
            try await db.raw("SAVEPOINT member").run()
            outcome.value = .success(try await body(db))
            try await db.raw("RELEASE member").run()
        } catch {
            outcome.value = .failure(error)
            try? await db.raw("ROLLBACK TO member").run()
            try? await db.raw("RELEASE member").run()
        }
    }

    /// Waits for the combiner to finish, closes the writer with `close`; later callers get `Closed`.
    func shutdown(_ close: () -> Void) async {
        while true {
            let idle = state.withLock { state in
                if state.combining { return false }
                state.combining = true
                state.closed = true
                return true
            }
            if idle { break }
            try? await Task.sleep(for: .milliseconds(1))
        }
        close()
        executor?.stop()
    }
}

/// A member's outcome, written by whoever runs its body and read by the member after the commit
/// (the continuation's resumption orders the two).
private final class Outcome<T>: @unchecked Sendable {
    var value: Result<T, any Error>?
    var commitError: (any Error)?

    func result() throws -> T {
        if let commitError { throw commitError }
        guard let value else { throw GroupCommit.Closed() }
        return try value.get()
    }
}
