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
        defer { Task { await database.cleanup() } }
        let pool = try #require(try await database.open() as? PostgresDatabasePool)
        let connection = try await pool.dedicatedConnection()
        let lease = PostgresLease(key: 1, timeout: 1, logger: quietLogger) { connection }
        let began = ContinuousClock.now
        await #expect(throws: LeaseTimeout.self) {
            _ = try await lease.answered(on: connection) {
                _ = try await connection.query("SELECT pg_sleep(30)", logger: quietLogger)
                return true
            }
        }
        let took = ContinuousClock.now - began
        #expect(took < .seconds(10), "ended at the timeout, not with the query: \(took)")
        #expect(connection.isClosed)
        // In time, the answer is the query's.
        let other = try await pool.dedicatedConnection()
        let held = try await lease.answered(on: other) {
            for try await n in try await other.query("SELECT 1", logger: quietLogger).decode(Int.self) { return n == 1 }
            return false
        }
        #expect(held)
        try await other.close()
        await pool.close()
    }
}
