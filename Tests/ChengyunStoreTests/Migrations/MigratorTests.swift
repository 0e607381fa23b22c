import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import SQLKit
import Testing

@Suite struct MigratorTests {
    @Test(arguments: TestBackend.available) func migratesAnEmptyDatabase(backend: TestBackend) async throws {
        try await withPlatform(backend, migrate: false) { platform in
            let applied = try await Migrator().migrate(platform.pool)
            #expect(applied.map(\.version) == Migrations.all.map(\.version))
            #expect(try await Migrator().appliedVersions(platform.pool) == Migrations.all.map(\.version))
            // The schema is there: the audit head row the audit migration seeds.
            let head = try await platform.pool.read {
                try await $0.select().column("last_seq").from("audit_head").first()
            }
            #expect(try head?.decode(column: "last_seq", as: Int64.self) == 0)
        }
    }

    /// Step 16 lets an order be on a patrol task instead of a case; on SQLite it rebuilds the
    /// orders table, which must keep the orders already there.
    @Test(arguments: TestBackend.available) func ordersIssuedBeforePatrolTasksSurviveTheirTableChanging(
        backend: TestBackend
    ) async throws {
        try await withPlatform(backend, clock: TestClock(Instant.parse("2026-11-23T09:00:00+08:00")!), migrate: false) {
            platform in
            try await Migrator(migrations: migrations(before: 16)).migrate(platform.pool)
            let f = try await CaseFixture.make(platform)
            let reported = try await platform.cases.report(
                NewReport(
                    matterId: f.garbage.id, description: "暴露垃圾", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat), by: f.staff(.inspector, in: f.streetA)
            ).case
            try await platform.pool.transaction { db in
                try await db.raw(
                    """
                    INSERT INTO supervision_orders (id, number, case_id, case_number, area_path, department_ids, issued_by, issued_by_name,
                        automatic, issued_at, deadline, letter, state, response)
                    VALUES ('o1', 'DB20261123001', \(bind: reported.id), \(bind: reported.number), \(bind: reported.areaPath), ',,', 'system',
                        '预警规则', 1, 5, 9, '督办', 'responded', '已办结')
                    """
                ).run()
            }
            try await Migrator().migrate(platform.pool)
            let orders = try await platform.supervision.orders(
                caseId: reported.id, unansweredOnly: false, by: f.staff(.leader))
            #expect(
                orders.map(\.number) == ["DB20261123001"] && orders.first?.response == "已办结"
                    && orders.first?.taskId == nil)
            // The day's numbers go on after the ones counted out before the sequence table.
            let next = try await platform.supervision.issue(
                NewSupervisionOrder(caseId: reported.id), by: f.staff(.leader))
            #expect(next.number == "DB20261123002")
        }
    }

    @Test(arguments: TestBackend.available) func anUpToDateDatabaseIsLeftAlone(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let again = try await Migrator().migrate(platform.pool)
            #expect(again.isEmpty)
            #expect(try await Migrator().appliedVersions(platform.pool) == Migrations.all.map(\.version))
        }
    }

    @Test(arguments: TestBackend.available) func aFailingMigrationLeavesTheDatabaseAsItWas(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let broken = Migration(
                version: 9001, name: "broken",
                sql: [
                    "CREATE TABLE half_done (id TEXT PRIMARY KEY)",
                    "INSERT INTO half_done (id) VALUES ('a')",
                    "THIS IS NOT SQL",
                ])
            await #expect(throws: (any Error).self) {
                try await Migrator(migrations: Migrations.all + [broken]).migrate(platform.pool)
            }
            #expect(try await Migrator().appliedVersions(platform.pool) == Migrations.all.map(\.version))
            // The table the step created before failing is gone with the rollback.
            await #expect(throws: (any Error).self) {
                try await platform.pool.read { try await $0.raw("SELECT id FROM half_done").run() }
            }
            // A fixed step then applies cleanly.
            let fixed = Migration(version: 9001, name: "fixed", sql: ["CREATE TABLE half_done (id TEXT PRIMARY KEY)"])
            let applied = try await Migrator(migrations: Migrations.all + [fixed]).migrate(platform.pool)
            #expect(applied.map(\.version) == [9001])
        }
    }
}
