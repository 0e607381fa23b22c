import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import SQLKit
import Synchronization
import Testing

/// Transactions under load. On SQLite they are group-committed: the properties below are what
/// make that safe.
@Suite struct TransactionTests {
    struct Planned: Error {}

    @Test(arguments: TestBackend.available) func concurrentTransactionsCommitOrRollBackAlone(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            try await platform.pool.transaction { try await $0.raw("CREATE TABLE probe (id BIGINT PRIMARY KEY)").run() }
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool, Bool).self) { group in
                for index in 0..<60 {
                    group.addTask {
                        do {
                            try await platform.pool.transaction { db in
                                try await db.insert(into: "probe").columns("id").values(SQLBind(index)).run()
                                if index % 5 == 0 { throw Planned() }
                            }
                            // Answered: it must already be readable on another connection.
                            let seen = try await platform.pool.read { db in
                                try await db.select().column("id").from("probe").where("id", .equal, index).first()
                                    != nil
                            }
                            return (index, true, seen)
                        } catch is Planned {
                            return (index, false, false)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count == 60)
            for (index, succeeded, seen) in outcomes {
                #expect(succeeded == (index % 5 != 0))
                if succeeded { #expect(seen, "transaction \(index) returned before its commit was visible") }
            }
            let stored = try await platform.pool.read { db in
                try await db.select().column("id").from("probe").orderBy("id").all().map {
                    try $0.decode(column: "id", as: Int.self)
                }
            }
            #expect(stored == (0..<60).filter { $0 % 5 != 0 })
        }
    }

    @Test(arguments: TestBackend.available) func aFailedStatementDoesNotSpoilTheOthersInTheBatch(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            try await platform.pool.transaction { try await $0.raw("CREATE TABLE probe (id BIGINT PRIMARY KEY)").run() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        // Every third inserts a duplicate key: the database refuses that statement.
                        _ = try? await platform.pool.transaction { db in
                            try await db.insert(into: "probe").columns("id").values(SQLBind(index)).run()
                            if index % 3 == 0 {
                                try await db.insert(into: "probe").columns("id").values(SQLBind(index)).run()
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let count = try await platform.pool.read {
                try await $0.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("probe").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(count == 20)
        }
    }

    /// Where the writer keeps its order (SQLite), bodies run in the order their places were
    /// fixed (`queued`), which is what lets a monitoring turn let go of its gate at that moment.
    @Test(arguments: TestBackend.available) func queuedTransactionsRunInTheOrderTheyWereQueued(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            #expect(platform.pool.ordersWrites == (backend == .sqlite))
            let log = OrderLog()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await platform.pool.transaction(queued: { log.state.withLock { $0.queued.append(index) } })
                        { db in
                            log.state.withLock { $0.ran.append(index) }
                            try await db.raw("SELECT 1").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let (queued, ran) = log.state.withLock { ($0.queued, $0.ran) }
            #expect(queued.sorted() == Array(0..<40) && ran.sorted() == Array(0..<40))
            if platform.pool.ordersWrites { #expect(ran == queued) }
        }
    }
}

private final class OrderLog: Sendable {
    let state = Mutex((queued: [Int](), ran: [Int]()))
}
