@testable import ChengyunStore
import ChengyunTestSupport
import Foundation
import PostgresNIO
import Testing

/// The lease's connection must answer in time: a query that does not (a session that stopped
/// answering; here one that sleeps) ends at the timeout with the connection closed, so the lease
/// is given up instead of the node's cluster round waiting for ever (a PostgresNIO query does not
/// stop when its task is cancelled).
@Suite(.timeLimit(.minutes(1))) struct LeaseTimeoutTests {
    @Test(.enabled(if: TestBackend.postgresURL != nil, "a PostgreSQL lease"))
    func aQueryPastTheLeaseTimeoutEndsItsConnection() async throws {
        let database = try await TestDatabase.make(.postgres)
        let pool = try #require(try await database.open() as? PostgresDatabasePool)
        var failure: (any Error)?
        do { try await Self.exercise(pool) } catch { failure = error }
        await pool.close()
        await database.cleanup()
        if let failure { throw failure }
    }

    private static func exercise(_ pool: PostgresDatabasePool) async throws {
        let stuck = try await pool.dedicatedConnection()
        let lease = PostgresLease(key: 1, timeout: 1, logger: quietLogger) { stuck }
        let began = ContinuousClock.now
        await #expect(throws: LeaseTimeout.self) {
            _ = try await lease.answered(on: stuck) {
                _ = try await stuck.query("SELECT pg_sleep(30)", logger: quietLogger)
                return true
            }
        }
        let took = ContinuousClock.now - began
        #expect(took < .seconds(10), "ended at the timeout, not with the query: \(took)")
        #expect(stuck.isClosed)
        if !stuck.isClosed { try? await stuck.close() }
        // In time (a timeout a loaded machine cannot miss), the answer is the query's own.
        let other = try await pool.dedicatedConnection()
        let patient = PostgresLease(key: 1, timeout: 60, logger: quietLogger) { other }
        let answer: Bool
        do {
            answer = try await patient.answered(on: other) {
                for try await n in try await other.query("SELECT 0", logger: quietLogger).decode(Int.self) {
                    return n == 1
                }
                return true
            }
        } catch {
            try? await other.close()
            throw error
        }
        try? await other.close()
        #expect(answer == false, "the query's false, not a default")
    }
}
