import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import SQLKit
import Testing

/// Read-only routes' reads on a real PostgreSQL hot standby (`.ci/replica.sh`): to the replica
/// while it keeps up, to the primary when it falls behind (replay paused) or fails, writes always
/// to the primary.
@Suite(.serialized) struct ReplicaPoolTests {
    @Test func readsGoToTheReplicaOnlyWhileItKeepsUp() async throws {
        guard let replicaURL = TestBackend.replicaURL, let primaryURL = TestBackend.postgresURL else {
            if TestBackend.isCI { Issue.record("CI sets CHENGYUN_TEST_REPLICA_URL (.ci/replica.sh)") }
            return
        }
        try await withPlatform(.postgres) { platform in
            let database = try await platform.pool.read { try await $0.raw("SELECT current_schema() AS s").first() }
            let schema = try #require(try database?.decode(column: "s", as: String.self))
            let replicaLocation = replicaURL + (replicaURL.contains("?") ? "&" : "?") + "schema=\(schema)"
            #expect(primaryURL != replicaURL)
            guard case .postgres(let settings) = try DatabaseLocation(replicaLocation) else { return }
            let standby = try await PostgresDatabasePool(settings: settings, logger: quietLogger, readOnly: true)
            // A bound wide enough that the time a loaded machine takes between two steps here (the
            // time since the last check counts) does not run it out.
            let pool = ReplicaPool(primary: platform.pool, replica: standby, maxLagMillis: 30_000, logger: quietLogger)
            defer { Task { await pool.close() } }
            let reads = platform.with(replica: pool).forReads

            // Before the first check nothing is known: the primary answers.
            #expect(try await onStandby(reads.pool) == false && !pool.usesReplica)
            let area = try await platform.organisation.createArea(
                NewArea(code: "320600", name: "副本市", level: .city, parentId: nil), by: .system)
            try await untilCaughtUp(pool, standby: standby)
            #expect(try await onStandby(reads.pool) == true)
            #expect(try await reads.organisation.area(id: area.id, by: .system).name == "副本市")
            // A write through it goes to the primary.
            #expect(try await reads.pool.transaction { try await inRecovery($0) } == false)
            // A route's own answer (not found) is not the standby failing: it stays in use.
            await #expect(throws: DomainError.self) {
                try await reads.organisation.area(id: "no-such-area", by: .system)
            }
            #expect(pool.usesReplica)

            // Replay paused and a write made: once the replica is past the most allowed lag behind,
            // reads go back to the primary, which has the write.
            try await standby.read { _ = try await $0.raw("SELECT pg_wal_replay_pause()").run() }
            do {
                let later = try await platform.organisation.createArea(
                    NewArea(code: "320700", name: "滞后市", level: .city, parentId: nil), by: .system)
                let now = platform.now()
                await pool.watch(now: now)
                let lag = await pool.watch(now: now + 31_000)
                #expect((lag ?? 0) > 30_000 && !pool.usesReplica)
                #expect(try await onStandby(reads.pool) == false)
                #expect(try await reads.organisation.area(id: later.id, by: .system).name == "滞后市")
            } catch {
                try await standby.read { _ = try await $0.raw("SELECT pg_wal_replay_resume()").run() }
                throw error
            }
            try await standby.read { _ = try await $0.raw("SELECT pg_wal_replay_resume()").run() }
            try await untilCaughtUp(pool, standby: standby)
            #expect(pool.usesReplica)

            // The replica gone: a read still answers, from the primary, and the replica is set aside.
            await standby.close()
            #expect(try await onStandby(reads.pool) == false)
            #expect(!pool.usesReplica)
        }
    }

    /// Until the standby has replayed everything the primary had written when this was called, and
    /// the pool, checking, uses it. Other tests write to the same server meanwhile, and on a loaded
    /// machine (the full suite on two cores) replay can trail by seconds at a time: the wait is for
    /// the write that matters and for the pool's own bound, not for an arbitrary small lag.
    private func untilCaughtUp(_ pool: ReplicaPool, standby: PostgresDatabasePool) async throws {
        let written = try await position(pool.primary, of: "pg_current_wal_lsn()")
        let caughtUp = try await eventually(within: .seconds(60), every: .milliseconds(100)) {
            await pool.watch(now: EpochMillis.now())
            guard pool.usesReplica else { return false }
            return try await position(standby, of: "pg_last_wal_replay_lsn()") >= written
        }
        #expect(caughtUp, "the standby did not replay the primary's writes within 60 s, or was not used")
    }

    private func position(_ pool: any DatabasePool, of lsn: String) async throws -> Int64 {
        try await pool.read { db in
            try await db.raw(SQLQueryString("SELECT pg_wal_lsn_diff(\(unsafeRaw: lsn), '0/0')::bigint AS p")).first()?
                .decode(column: "p", as: Int64.self) ?? 0
        }
    }

    private func onStandby(_ pool: any DatabasePool) async throws -> Bool {
        try await pool.read { try await inRecovery($0) }
    }

    private func inRecovery(_ db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT pg_is_in_recovery() AS r").first()?.decode(column: "r", as: Bool.self) ?? false
    }
}
