import ChengyunCore
import Foundation
import Logging
import SQLKit
import Synchronization
import Testing

@testable import ChengyunStore
import ChengyunTestSupport

/// The embedded pool's own connection layer: values, cached statements, errors, and closing
/// while work is in flight.
@Suite struct SQLiteHandleTests {
    private func scratchPath() -> String {
        NSTemporaryDirectory() + "chengyun-handle-" + Identifier.make().lowercased() + "/db.sqlite"
    }

    private func openPool(_ path: String) async throws -> SQLiteDatabasePool {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return try await SQLiteDatabasePool(path: path, logger: logger)
    }

    @Test func valuesRoundTripThroughBindsAndColumns() async throws {
        let pool = try await openPool(scratchPath())
        try await pool.transaction { db in
            try await db.raw("CREATE TABLE probe (i BIGINT, d DOUBLE PRECISION, t TEXT, b BLOB, n TEXT)").run()
            try await db.raw(
                "INSERT INTO probe VALUES (\(bind: Int64.max), \(bind: 0.1), \(bind: "城运 ✓"), \(bind: Data([0, 1, 255])), NULL)"
            ).run()
        }
        let row = try #require(try await pool.read { try await $0.raw("SELECT * FROM probe").first() })
        #expect(try row.decode(column: "i", as: Int64.self) == Int64.max)
        #expect(try row.decode(column: "d", as: Double.self) == 0.1)
        #expect(try row.decode(column: "t", as: String.self) == "城运 ✓")
        #expect(try row.decode(column: "b", as: Data.self) == Data([0, 1, 255]))
        #expect(try row.decodeNil(column: "n"))
        #expect(try row.decode(column: "n", as: String?.self) == nil)
        #expect(!row.contains(column: "missing"))
        await pool.close()
    }

    @Test func manyDistinctStatementsOutgrowTheCacheSafely() async throws {
        let pool = try await openPool(scratchPath())
        try await pool.transaction { try await $0.raw("CREATE TABLE probe (id BIGINT PRIMARY KEY)").run() }
        for round in 0..<2 {
            for index in 0..<300 {
                // A different statement text each time (the literal), so the cache fills and is emptied.
                try await pool.transaction { db in
                    try await db.raw(
                        "INSERT OR REPLACE INTO probe (id) VALUES (\(unsafeRaw: String(index + round * 1000)))"
                    ).run()
                }
            }
        }
        let count = try await pool.read {
            try await $0.raw("SELECT COUNT(*) AS n FROM probe").first()?.decode(column: "n", as: Int.self)
        }
        #expect(count == 600)
        await pool.close()
    }

    @Test func aBadStatementNamesTheError() async throws {
        let pool = try await openPool(scratchPath())
        await #expect(throws: SQLiteFailure.self) {
            try await pool.read { try await $0.raw("SELECT * FROM nowhere").run() }
        }
        // The connection is still good afterwards.
        let one = try await pool.read {
            try await $0.raw("SELECT 1 AS one").first()?.decode(column: "one", as: Int.self)
        }
        #expect(one == 1)
        await pool.close()
    }

    /// Closing waits for the writer: the write it is running and every write queued behind it
    /// are committed and answered, nobody hangs, a write after the close is refused, and the file
    /// afterwards holds exactly the answered writes.
    @Test func closingWhileWritesAreInFlightKeepsEveryAnsweredWrite() async throws {
        let path = scratchPath()
        let pool = try await openPool(path)
        try await pool.transaction { try await $0.raw("CREATE TABLE probe (id BIGINT PRIMARY KEY)").run() }
        // Write 0 holds the writer inside its transaction until the gate opens; writes 1...100
        // queue behind it (two batches of the writer's 64); then the pool is closed.
        let queuedWrites = 100
        let (entered, enteredSignal) = AsyncStream.makeStream(of: Void.self)
        let (gate, opener) = AsyncStream.makeStream(of: Void.self)
        let (queued, queuedSignal) = AsyncStream.makeStream(of: Void.self)
        // What came back, gathered as it does: a broken close may leave writes unanswered for
        // ever, and the test must then fail, not hang.
        let tally = Tally()
        Task {
            defer { enteredSignal.finish() }
            tally.finish(
                try? await pool.transaction { db -> Int in
                    enteredSignal.yield()
                    for await _ in gate {}
                    try await db.raw("INSERT INTO probe (id) VALUES (\(bind: 0))").run()
                    return 0
                })
        }
        var holding = entered.makeAsyncIterator()
        let held = await holding.next() != nil
        try #require(held, "write 0 never held the writer")
        for index in 1...queuedWrites {
            Task {
                tally.finish(
                    try? await pool.transaction(queued: { queuedSignal.yield() }) { db -> Int in
                        try await db.raw("INSERT INTO probe (id) VALUES (\(bind: index))").run()
                        return index
                    })
            }
        }
        var places = queued.makeAsyncIterator()
        for _ in 0..<queuedWrites { _ = await places.next() }

        let closed = Flag()
        let closing = Task {
            await pool.close()
            closed.set()
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!closed.isSet, "close returned while a write held the writer")
        opener.finish()
        try #require(
            try await eventually(within: .seconds(10)) { closed.isSet && tally.finished == queuedWrites + 1 },
            "after 10 s: close returned \(closed.isSet), \(tally.finished) of \(queuedWrites + 1) writes came back")
        _ = closing
        let answered = tally.answered
        #expect(answered == Set(0...queuedWrites))
        await #expect(throws: GroupCommit.Closed.self) {
            try await pool.transaction { try await $0.raw("INSERT INTO probe (id) VALUES (\(bind: 999))").run() }
        }
        let reopened = try await openPool(path)
        let stored = try await reopened.read { db in
            Set(try await db.raw("SELECT id FROM probe").all().map { try $0.decode(column: "id", as: Int.self) })
        }
        #expect(stored == answered)
        await reopened.close()
    }
}

/// A flag one task sets and another reads.
private final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

/// The writes that came back, and which of them were answered with success.
private final class Tally: Sendable {
    private let state = Mutex<(finished: Int, answered: Set<Int>)>((0, []))
    func finish(_ index: Int?) {
        state.withLock {
            $0.finished += 1
            if let index { $0.answered.insert(index) }
        }
    }
    var finished: Int { state.withLock { $0.finished } }
    var answered: Set<Int> { state.withLock { $0.answered } }
}
