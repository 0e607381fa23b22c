import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import SQLKit
import Testing

/// Transactions under load. On SQLite they are group-committed: the properties below are what
/// make that safe.
@Suite struct TransactionTests {
    struct Planned: Error {}

    @Test(arguments: TestBackend.available) func concurrentTransactionsCommitOrRollBackAlone(backend: TestBackend) async throws {
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
                                try await db.select().column("id").from("probe").where("id", .equal, index).first() != nil
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
                try await db.select().column("id").from("probe").orderBy("id").all().map { try $0.decode(column: "id", as: Int.self) }
            }
            #expect(stored == (0..<60).filter { $0 % 5 != 0 })
        }
    }

    @Test(arguments: TestBackend.available) func aFailedStatementDoesNotSpoilTheOthersInTheBatch(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            try await platform.pool.transaction { try await $0.raw("CREATE TABLE probe (id BIGINT PRIMARY KEY)").run() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        // Every third inserts a duplicate key: the database refuses that statement.
                        _ = try? await platform.pool.transaction { db in
                            try await db.insert(into: "probe").columns("id").values(SQLBind(index)).run()
                            if index % 3 == 0 { try await db.insert(into: "probe").columns("id").values(SQLBind(index)).run() }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let count = try await platform.pool.read { try await $0.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("probe").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 20)
        }
    }
}
