import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// A round's webhook outcomes go to the database together: outcomes that arrive while a write runs
/// share the next one, each sender returns only once its own are committed, a failed write fails
/// only the senders it carried, a sender hears whether its own were written, and the statement
/// skips a delivery changed meanwhile.
// The limit catches a writer that never resumes its senders; it is generous because the suite's
// database test makes and migrates a database, which a busy machine can slow past two minutes.
@Suite(.timeLimit(.minutes(5))) struct WebhookOutcomesTests {
    @Test func outcomesThatArriveDuringAWriteShareTheNext() async throws {
        let written = Writes()
        let outcomes = WebhookOutcomes { attempts in
            try await Task.sleep(for: .milliseconds(20))
            await written.add(attempts.map(\.id))
            return attempts.map { _ in true }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<40 {
                group.addTask {
                    try await outcomes.record([attempt("d\(n)")])
                    #expect(await written.all.joined().contains("d\(n)"), "committed before it returns")
                }
            }
            try await group.waitForAll()
        }
        let writes = await written.all
        #expect(writes.joined().sorted() == (0..<40).map { "d\($0)" }.sorted(), "each once")
        #expect(writes.count < 40, "grouped: \(writes.map(\.count))")
    }

    @Test func aFailedWriteFailsOnlyTheSendersItCarried() async throws {
        struct Refused: Error {}
        let started = AsyncStream.makeStream(of: Void.self)
        let outcomes = WebhookOutcomes { attempts in
            if attempts.contains(where: { $0.id == "bad" }) {
                started.continuation.yield()
                try await Task.sleep(for: .milliseconds(50))
                throw Refused()
            }
            return attempts.map { _ in true }
        }
        let first = Task { try await outcomes.record([attempt("bad")]) }
        var waits = started.stream.makeAsyncIterator()
        await waits.next()
        // These arrive while the failing write runs: they go in the next write, which succeeds.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<5 { group.addTask { try await outcomes.record([attempt("ok\(n)")]) } }
            try await group.waitForAll()
        }
        await #expect(throws: Refused.self) { try await first.value }
        try await outcomes.record([attempt("after")])
    }

    @Test func aSenderHearsWhetherItsOwnWereWritten() async throws {
        // The write refuses what was moved meanwhile (as a cursor a replay moved is not moved again).
        let outcomes = WebhookOutcomes { attempts in
            try await Task.sleep(for: .milliseconds(10))
            return attempts.map { !$0.id.hasPrefix("moved") }
        }
        try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for n in 0..<20 {
                let id = n % 4 == 0 ? "moved\(n)" : "d\(n)"
                group.addTask { (id, try await outcomes.record([attempt(id)])) }
            }
            group.addTask { ("moved-with-another", try await outcomes.record([attempt("ok"), attempt("moved-x")])) }
            for try await (id, written) in group {
                #expect(written == !id.hasPrefix("moved"), "\(id)")
            }
        }
    }

    @Test(arguments: TestBackend.available) func theStatementSkipsADeliveryChangedMeanwhile(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let repository = SubscriptionRepository()
            let subscription = Subscription(
                id: "s1", ownerId: "u1", areaPath: "/", topic: .dataset, datasetCode: "x", url: "http://127.0.0.1:1/",
                createdAt: 1)
            let deliveries = (0..<3).map { attempt("d\($0)", attempts: 0) }
            try await platform.pool.transaction { db in
                try await repository.insert(subscription, secret: "k", on: db)
                try await repository.insert(deliveries, on: db)
            }
            var delivered = deliveries[0]
            (delivered.state, delivered.attempts, delivered.lastStatus, delivered.deliveredAt) = (.delivered, 1, 200, 9)
            var failed = deliveries[1]
            (failed.attempts, failed.nextAttemptAt, failed.lastError) = (1, 60_000, "timeout")
            var stale = deliveries[2]
            (stale.state, stale.attempts) = (.delivered, 3) // it had 2 before, the row says 0: skipped
            try await platform.pool.transaction { try await repository.record([delivered, failed, stale], on: $0) }
            let rows = try await platform.pool.read {
                try await $0.select().column("*").from("subscription_deliveries").orderBy("id")
                    .all(decoding: Delivery.self, with: rowDecoder)
            }
            #expect(rows == [delivered, failed, deliveries[2]])
        }
    }

    private actor Writes {
        var all: [[String]] = []
        func add(_ ids: [String]) { all.append(ids) }
    }

    private func attempt(_ id: String, attempts: Int = 1) -> Delivery {
        Delivery(
            id: id, subscriptionId: "s1", topic: .dataset, body: "{}", state: .pending, attempts: attempts,
            nextAttemptAt: 0, lastStatus: nil, lastError: nil, createdAt: 1, deliveredAt: nil)
    }
}
