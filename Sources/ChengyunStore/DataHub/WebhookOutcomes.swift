import ChengyunCore
import SQLKit

/// Group commit for a round's webhook outcomes. Each sender hands over what its POST did and waits
/// until that is committed before it sends its next POST, as when each wrote its own transaction —
/// so a crash sends again no more than before: at most the POST each subscription had in flight.
/// Outcomes that arrive while a write runs go together in the next one: a transaction and a
/// statement for many POSTs, where PostgreSQL spent a round trip a statement and three a POST.
actor WebhookOutcomes {
    private let write: @Sendable ([Delivery]) async throws -> Void
    private var waiting: [(attempts: [Delivery], done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    init(platform: Platform) {
        let subscriptions = SubscriptionRepository()
        write = { attempts in try await platform.pool.transaction { try await subscriptions.record(attempts, on: $0) } }
    }

    init(write: @escaping @Sendable ([Delivery]) async throws -> Void) { self.write = write }

    /// Returns once `attempts` are committed (or throws why they were not).
    func record(_ attempts: [Delivery]) async throws {
        guard !attempts.isEmpty else { return }
        if writing {
            try await withCheckedThrowingContinuation { waiting.append((attempts, $0)) }
            return
        }
        // This caller writes: its own outcomes first, then whatever gathered meanwhile, until none
        // is left; each waiter hears how its group went.
        writing = true
        var own: (any Error)?
        do { try await write(attempts) } catch { own = error }
        while !waiting.isEmpty {
            let group = waiting
            waiting = []
            do {
                try await write(group.flatMap(\.attempts))
                for waiter in group { waiter.done.resume() }
            } catch {
                for waiter in group { waiter.done.resume(throwing: error) }
            }
        }
        writing = false
        if let own { throw own }
    }
}
