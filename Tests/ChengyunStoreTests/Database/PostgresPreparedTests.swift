import ChengyunCore
import ChengyunTestSupport
import SQLKit
import Testing

@testable import ChengyunStore

/// Named prepared statements on the case loop's hot path (`PostgresPrepared`, PostgreSQL only).
@Suite struct PostgresPreparedTests {
    /// Out of scope nothing is prepared; in scope a statement is prepared once its text was seen
    /// before, on the connection that ran it (a NULL declared as its column's type, so the same
    /// statement), and the prepared ones answer as the unnamed did.
    @Test(arguments: TestBackend.available.filter { $0 == .postgres })
    func hotStatementsArePreparedWhereTheyRan(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            try await platform.pool.transaction { db in
                try await db.raw("CREATE TABLE prepared_probe (k integer PRIMARY KEY, v bigint)").run()
                for k in 1...2 { try await insert(k, value: Int64(k * 10), db) }
                #expect(try await preparedHere(db) == 0, "nothing prepared out of scope")
                try await PostgresPrepared.preparing {
                    for k in 3...5 { try await insert(k, value: Int64(k * 10), db) }
                    let nils = PostgresPrepared.Tally()
                    try await PostgresPrepared.$tally.withValue(nils) {
                        try await insert(6, value: nil, db)
                        try await insert(7, value: nil, db)
                    }
                    #expect(nils.value == 2, "a NULL makes no other statement")
                    for _ in 1...2 {
                        #expect(try await values(db) == [10, 20, 30, 40, 50, nil, nil])
                    }
                }
                // The insert (with a number or a NULL) and the read: each seen before, so prepared.
                let prepared = try await preparedHere(db)
                let all = try await db.raw("SELECT statement FROM pg_prepared_statements").all().map {
                    try $0.decode(column: "statement", as: String.self)
                }
                #expect(prepared == 2, "\(all)")
                #expect(try await values(db) == [10, 20, 30, 40, 50, nil, nil], "and unnamed again out of scope")
            }
        }
    }

    /// PostgresNIO keeps a failed preparation for the connection's life and answers every later run
    /// of that name with the same error; here the statement's second sighting is prepared in a
    /// failed transaction, and once the savepoint is rolled back it runs again (unnamed) and answers.
    @Test(arguments: TestBackend.available.filter { $0 == .postgres })
    func aStatementThatFailedToPrepareRunsUnnamedAfter(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            try await platform.pool.transaction { db in
                try await probeTable("prepared_failure", db)
                try await PostgresPrepared.preparing {
                    let token = Identifier.make()
                    #expect(try await probe(db, token) == 7)
                    try await db.raw("SAVEPOINT before_failure").run()
                    await #expect(throws: (any Error).self) { try await db.raw("SELECT 1 / 0 AS n").run() }
                    await #expect(throws: (any Error).self, "a failed transaction refuses it") {
                        try await probe(db, token)
                    }
                    let connection = try #require(PostgresSessionDatabase.connection(of: db))
                    #expect(PostgresPrepared.held(on: connection).failed == 1, "its failed preparation is kept")
                    try await db.raw("ROLLBACK TO SAVEPOINT before_failure").run()
                    #expect(try await probe(db, token) == 7)
                    #expect(try await probe(db, token) == 7)
                }
            }
        }
    }

    /// A statement the server no longer takes by name — its prepared statements dropped (as a
    /// pooler may lose them), or its table changed under a `SELECT *` — runs unnamed at once
    /// outside a transaction and on every connection after; inside a transaction the caller is
    /// told to try again. An error of a statement already prepared (a key taken) changes nothing.
    @Test(arguments: TestBackend.available.filter { $0 == .postgres })
    func aStatementRefusedByNameRunsUnnamedEverywhere(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            try await platform.pool.transaction { db in
                try await probeTable("prepared_refusal", db)
            }
            let (dropped, changed, inside) = (Identifier.make(), Identifier.make(), Identifier.make())
            try await PostgresPrepared.preparing {
                try await platform.pool.read { db in
                    let connection = try #require((db as? PostgresSessionDatabase)?.connection)
                    for _ in 1...2 { #expect(try await probe(db, dropped, table: "prepared_refusal") == 7) }
                    try await db.raw("DEALLOCATE ALL").run()
                    #expect(try await probe(db, dropped, table: "prepared_refusal") == 7, "26000, run again unnamed")
                    #expect(PostgresPrepared.held(on: connection).failed == 1)
                    let all = { (db: any SQLDatabase) in
                        try await db.raw(
                            "SELECT * FROM prepared_refusal WHERE k = \(bind: 1) /* \(unsafeRaw: changed) */"
                        )
                        .all().count
                    }
                    for _ in 1...2 { #expect(try await all(db) == 1) }
                    try await db.raw("ALTER TABLE prepared_refusal ADD COLUMN w integer").run()
                    #expect(try await all(db) == 1, "0A000, run again unnamed")
                    #expect(PostgresPrepared.held(on: connection).failed == 2)
                }
                let tally = PostgresPrepared.Tally()
                try await PostgresPrepared.$tally.withValue(tally) {
                    await #expect(throws: DomainError.self, "the transaction is lost: try again") {
                        try await platform.pool.transaction { db in
                            for _ in 1...2 { _ = try await probe(db, inside, table: "prepared_refusal") }
                            try await db.raw("DEALLOCATE ALL").run()
                            try await probe(db, inside, table: "prepared_refusal")
                        }
                    }
                    let by = tally.value
                    let found = try await platform.pool.transaction { db in
                        [
                            try await probe(db, inside, table: "prepared_refusal"),
                            try await probe(db, dropped, table: "prepared_refusal"),
                        ]
                    }
                    #expect(found == [7, 7])
                    #expect(tally.value == by, "unnamed on whichever connection it lands")
                }
                // A key already taken: the prepared insert's own error, which leaves it prepared.
                try await platform.pool.transaction { db in
                    let insert = { (k: Int) in
                        try await db.raw("INSERT INTO prepared_refusal (k, v) VALUES (\(bind: k), \(bind: Int64(k)))")
                            .run()
                    }
                    for k in 2...3 { try await insert(k) }
                    let connection = try #require(PostgresSessionDatabase.connection(of: db))
                    let before = PostgresPrepared.held(on: connection)
                    try await db.raw("SAVEPOINT taken").run()
                    await #expect(throws: (any Error).self) { try await insert(2) }
                    try await db.raw("ROLLBACK TO SAVEPOINT taken").run()
                    #expect(PostgresPrepared.held(on: connection) == before)
                    let after = PostgresPrepared.Tally()
                    try await PostgresPrepared.$tally.withValue(after) { try await insert(4) }
                    #expect(after.value == 1, "still by name")
                }
            }
        }
    }

    /// The hot path runs by name: a case step, its reads and its transaction, once its statements
    /// were seen before.
    @Test(arguments: TestBackend.available.filter { $0 == .postgres })
    func caseStepsRunByName(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            var ids: [String] = []
            for (matter, point) in [
                (f.garbage, CaseFixture.pointA), (f.dirtyRoad, CaseFixture.pointA), (f.garbage, CaseFixture.pointB),
            ] {
                let report = NewReport(matterId: matter.id, description: "巡查发现", lon: point.lon, lat: point.lat)
                ids.append(try await platform.cases.report(report, by: f.staff(.intake)).case.id)
            }
            let steps = PostgresPrepared.Tally()
            try await PostgresPrepared.$tally.withValue(steps) {
                for id in ids {
                    _ = try await platform.cases.act(
                        caseId: id, CaseActionInput(.cancel, note: "误报"), by: f.staff(.supervisor))
                }
            }
            #expect(
                steps.value > 0 && steps.inTransactions > 0, "reads and writes: \(steps.value), \(steps.inTransactions)"
            )
        }
    }

    /// `?prepared_statements=false` (for a pooler that cannot follow named statements): nothing
    /// is prepared, in scope or not, and the statements answer as before.
    @Test(arguments: TestBackend.available.filter { $0 == .postgres })
    func theURLCanTurnThemOff(backend: TestBackend) async throws {
        let database = try await TestDatabase.make(backend)
        let pool = try await openDatabase(database.location + "&prepared_statements=false", logger: quietLogger)
        do {
            try await pool.transaction { db in
                try await db.raw("CREATE TABLE prepared_probe (k integer PRIMARY KEY, v bigint)").run()
                try await PostgresPrepared.preparing {
                    for k in 1...7 { try await insert(k, value: k > 5 ? nil : Int64(k * 10), db) }
                    #expect(try await values(db) == [10, 20, 30, 40, 50, nil, nil])
                    #expect(try await values(db) == [10, 20, 30, 40, 50, nil, nil])
                }
                #expect(try await preparedHere(db) == 0)
            }
        } catch {
            await pool.close()
            await database.cleanup()
            throw error
        }
        await pool.close()
        await database.cleanup()
    }

    private func insert(_ k: Int, value: Int64?, _ db: any SQLDatabase) async throws {
        try await db.raw("INSERT INTO prepared_probe (k, v) VALUES (\(bind: k), \(bind: value))").run()
    }

    private func values(_ db: any SQLDatabase) async throws -> [Int64?] {
        var found: [Int64?] = []
        for k in 1...7 {
            let row = try await db.raw("SELECT v FROM prepared_probe WHERE k = \(bind: k)").first()
            found.append(try row?.decode(column: "v", as: Int64?.self))
        }
        return found
    }

    /// The probe's table, with its one row: key 1, value 7.
    private func probeTable(_ table: String, _ db: any SQLDatabase) async throws {
        try await db.raw("CREATE TABLE \(ident: table) (k integer PRIMARY KEY, v bigint)").run()
        try await db.raw("INSERT INTO \(ident: table) VALUES (1, 7)").run()
    }

    /// The probe's read, its text the run's own (`token`): a statement seen in an earlier run
    /// of the test in this process would be prepared already.
    @discardableResult
    private func probe(_ db: any SQLDatabase, _ token: String, table: String = "prepared_failure") async throws
        -> Int64?
    {
        try await db.raw("SELECT v FROM \(ident: table) WHERE k = \(bind: 1) /* \(unsafeRaw: token) */").first()?
            .decode(column: "v", as: Int64?.self)
    }

    /// Statements of this connection's session prepared under the platform's names, on the probe table.
    private func preparedHere(_ db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            SELECT count(*) AS n FROM pg_prepared_statements
            WHERE name LIKE 'chengyun\\_%' AND statement LIKE '%prepared\\_probe%'
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
