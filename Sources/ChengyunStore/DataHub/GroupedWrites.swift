import ChengyunCore
import SQLKit

/// Grouped writes of what senders must have committed before they go on — a round's webhook
/// outcomes (`WebhookOutcomes`), a record feed's cursor moves. Each sender hands over what its
/// POST did and waits until that is committed before it sends its next POST, as when each wrote
/// its own transaction — so a crash sends again no more than before: at most the POST each
/// subscription had in flight. One writer task at a time takes every item waiting and writes them
/// together, a transaction and a statement for many POSTs, where PostgreSQL spent a round trip a
/// statement and three a POST; a sender waits at most for the write under way and then its own.
/// A write may refuse an item (a conditional update that found its row moved): the sender hears so.
actor GroupedWrites<Item: Sendable> {
    /// Writes the items, saying of each whether it was written.
    private let write: @Sendable ([Item]) async throws -> [Bool]
    private var waiting: [(attempts: [Item], done: CheckedContinuation<Bool, any Error>)] = []
    private var writing = false

    init(write: @escaping @Sendable ([Item]) async throws -> [Bool]) { self.write = write }

    /// Returns once `attempts` are committed (or throws why they were not): true when every one
    /// was written, false when the write refused any.
    @discardableResult
    func record(_ attempts: [Item]) async throws -> Bool {
        guard !attempts.isEmpty else { return true }
        return try await withCheckedThrowingContinuation { (done: CheckedContinuation<Bool, any Error>) in
            waiting.append((attempts, done))
            if !writing {
                writing = true
                // Not the sender's own task: a sender never writes for others while its next POST waits.
                Task { await self.drain() }
            }
        }
    }

    /// Writes what is waiting, a group at a time, until nothing is; each sender hears how its
    /// group went.
    private func drain() async {
        while !waiting.isEmpty {
            let group = waiting
            waiting = []
            do {
                var written = try await write(group.flatMap(\.attempts))[...]
                for waiter in group {
                    // An item the write said nothing of was not written.
                    let said = written.prefix(waiter.attempts.count)
                    waiter.done.resume(returning: said.count == waiter.attempts.count && said.allSatisfy { $0 })
                    written = written.dropFirst(waiter.attempts.count)
                }
            } catch {
                for waiter in group { waiter.done.resume(throwing: error) }
            }
        }
        writing = false
    }
}

/// A round's webhook outcomes, written together.
typealias WebhookOutcomes = GroupedWrites<Delivery>
