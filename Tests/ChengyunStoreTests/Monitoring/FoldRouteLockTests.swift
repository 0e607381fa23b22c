import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// On PostgreSQL the fold moves the route under the exclusive route lock, which waits for every
/// turn writing readings (they hold it shared) and stops new ones: a fold with nothing to move
/// takes no such lock, so ingest on any node never waits for a fold that does nothing.
/// Bounded waits of 30 s and a 6-minute limit: the whole suite runs at once on two cores, where
/// a fresh schema's migration alone can take a minute; a lock wrongly held fails the expectation.
@Suite(.timeLimit(.minutes(6))) struct FoldRouteLockTests {
    static let t0: Int64 = 1_795_000_000_000 / 3_600_000 * 3_600_000

    @Test(arguments: TestBackend.available.filter { $0 == .postgres })
    func aFoldThatMovesNothingTakesNoRouteLock(backend: TestBackend) async throws {
        try await withTwoNodes(backend, clock: TestClock(Self.t0)) { a, b in
            let route = Self.t0 - 60_000
            try await a.pool.transaction { try await RecentReadings().setRoute(route, on: $0) }
            try await a.pool.transaction { db in
                try await db.raw("UPDATE reading_fold SET folded = \(bind: route)").run()
            }
            // A turn on the other node, writing readings: it holds the route shared until released.
            let (turn, release) = await holdingRoute(b.pool)
            // Nothing before the route is left to fold: it answers at once, the turn still running.
            #expect(try await a.telemetry.foldReadings(upTo: route) == 0)
            // A fold cut short after it moved the route is finished without moving it: no lock either.
            try await a.pool.transaction { db in
                try await db.raw("UPDATE reading_fold SET folded = \(bind: route - 60_000)").run()
            }
            #expect(try await a.telemetry.foldReadings(upTo: Self.t0) == 0, "nothing was left in between")
            #expect(try await a.pool.read { try await RecentReadings().state(on: $0) }.folded == route)
            // One that moves the route waits for the turn.
            let moving = Task { try await a.telemetry.foldReadings(upTo: Self.t0) }
            // Until PostgreSQL shows it waiting for the lock (not a guess at how long that takes).
            let waiting = try await eventually(within: .seconds(30), every: .milliseconds(50)) {
                try await a.pool.read { db in
                    // This schema's route lock alone (other tests run at once in schemas of their own).
                    try await db.raw(
                        """
                        SELECT COUNT(*) AS n FROM pg_locks
                        WHERE locktype = 'advisory' AND NOT granted AND objsubid = 2 AND objid = 1000
                          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                          AND classid::bigint = (\(unsafeRaw: ShardRepository.lockSpace)::bigint & 4294967295)
                        """
                    ).first()?.decode(column: "n", as: Int.self) ?? 0
                } > 0
            }
            #expect(waiting, "the moving fold waits for the lock")
            let stateWhileHeld = try await a.pool.read { try await RecentReadings().state(on: $0) }
            #expect(stateWhileHeld.route == route, "the route waits for the turn holding it")
            release()
            try await turn.value
            _ = try await moving.value
            #expect(try await a.pool.read { try await RecentReadings().state(on: $0) }.route == Self.t0)
        }
    }

    /// Advisory locks are database-wide; the route's is keyed by the schema, so a city in a schema
    /// of its own never waits for another's turns (`bench cities` runs ten on one database).
    @Test(arguments: TestBackend.available.filter { $0 == .postgres })
    func anotherCitysTurnDoesNotHoldThisRoute(backend: TestBackend) async throws {
        try await withPlatform(backend, clock: TestClock(Self.t0)) { city in
            try await withPlatform(backend, clock: TestClock(Self.t0)) { other in
                let (turn, release) = await holdingRoute(other.pool)
                let moving = Task { try await city.telemetry.foldReadings(upTo: Self.t0) }
                let moved = try await eventually(within: .seconds(30), every: .milliseconds(50)) {
                    try await city.pool.read { try await RecentReadings().state(on: $0) }.route == Self.t0
                }
                #expect(moved, "the other city's turn holds its own route, not this one's")
                release()
                try await turn.value
                _ = try await moving.value
            }
        }
    }

    /// A turn writing readings on `pool`: it holds the route shared, from when this returns until
    /// `release` is called; `turn` ends with its transaction.
    private func holdingRoute(_ pool: any DatabasePool) async -> (turn: Task<Void, any Error>, release: () -> Void) {
        let (held, release) = (AsyncStream.makeStream(of: Void.self), AsyncStream.makeStream(of: Void.self))
        let turn = Task {
            try await pool.transaction { db in
                try await RecentReadings().hold(.shared, on: db)
                held.continuation.yield()
                for await _ in release.stream { break }
            }
        }
        var heldIterator = held.stream.makeAsyncIterator()
        await heldIterator.next()
        return (turn, { release.continuation.yield() })
    }
}
