import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import NIOCore
import SQLKit
import Testing

/// Live readings land in `readings_recent` the same on every path: SQLite's prepared statement,
/// PostgreSQL's `unnest` for a few and its `COPY` for many. Values read back bit for bit, and a
/// batch holding readings already stored lands only the new ones, counted exactly (on
/// PostgreSQL the copy is undone and the batch goes by `unnest`).
@Suite struct ReadingLandingTests {
    static let t0: Int64 = 1_795_000_000_000
    static let values: [Double] = [
        0, -0.0, 1, 0.1, 1.0 / 3, 123_456.789, -98.765e-3, 1e300, -1e-300, 5e-324, .greatestFiniteMagnitude,
        .leastNormalMagnitude, 2.5e15, 72, 9_007_199_254_740_993,
    ]

    private static func row(_ n: Int) -> (series: Int64, at: Int64, value: Double) {
        (Int64(n % 97) + 1, t0 + Int64(n / 97) * 1000, values[n % values.count] * (n % 3 == 0 ? -1 : 1))
    }

    @Test(arguments: TestBackend.available, [5, TelemetryRepository.copyThreshold + 301])
    func readingsLandAsSentAndRepeatsAreSkipped(backend: TestBackend, count: Int) async throws {
        try await withPlatform(backend) { platform in
            let first = (0..<count).map(Self.row)
            let landed = try await land(first, platform)
            #expect(landed.accepted == count)
            // PostgreSQL's COPY runs in a savepoint, so its rows carry a subtransaction's id.
            let copies = backend == .postgres && count >= TelemetryRepository.copyThreshold
            #expect(landed.inSavepoint == (copies ? count : 0))
            #expect(landed.direct == (backend == .postgres && !copies ? count : 0))

            // The second half again with as many new: only the new land, none of them copied.
            let second = (count / 2..<count + count / 2).map(Self.row)
            let again = try await land(second, platform)
            let new = count + count / 2 - count
            #expect(again.accepted == new)
            #expect(again.inSavepoint == 0)
            #expect(again.direct == (backend == .postgres ? new : 0))

            let stored = try await platform.pool.read { db in
                try await db.raw("SELECT series_id, at, value FROM readings_recent ORDER BY at, series_id").all().map {
                    (
                        try $0.decode(column: "series_id", as: Int64.self), try $0.decode(column: "at", as: Int64.self),
                        try $0.decode(column: "value", as: Double.self)
                    )
                }
            }
            let expected = (0..<count + count / 2).map(Self.row).sorted { ($0.at, $0.series) < ($1.at, $1.series) }
            #expect(stored.count == expected.count)
            // Exactly the double sent (`==`: SQLite keeps −0 as 0, a REAL without a fraction).
            for (row, want) in zip(stored, expected) {
                #expect(row.0 == want.series && row.1 == want.at && row.2 == want.value, "\(row) \(want)")
            }
        }
    }

    /// A copy that meets a reading another transaction has written but not committed waits for
    /// it and, once it commits, fails with the conflict and is undone; the batch lands by
    /// `unnest`. The copy must end (`copyText`), with every other reading landed and the one
    /// counted a repeat. On PostgreSQL the holder commits only once the copy is seen waiting for
    /// its transaction (`pg_locks`); on SQLite the writer is the holder's until it commits.
    @Test(.timeLimit(.minutes(5)), arguments: TestBackend.available)
    func aCopyMeetingAnUncommittedReadingEndsAndLandsTheRest(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let rows = (0..<50_000).map(Self.row)
            let held = rows[100]
            let (holding, holdingSignal) = AsyncStream.makeStream(of: String.self)
            let (gate, opener) = AsyncStream.makeStream(of: Void.self)
            let holder = Task {
                try await platform.pool.transaction { db in
                    _ = try await TelemetryRepository().insertReadings(count: 1, row: { _ in held }, route: 0, on: db)
                    var xid = ""
                    if backend == .postgres {
                        xid =
                            try await db.raw("SELECT xid(pg_current_xact_id())::text AS x").first()?.decode(
                                column: "x", as: String.self) ?? ""
                    }
                    holdingSignal.yield(xid)
                    for await _ in gate {}
                }
            }
            var started = holding.makeAsyncIterator()
            let xid = try #require(await started.next())
            let lander = Task { try await land(rows, platform) }
            if backend == .postgres {
                try await waitUntilSomeoneWaits(for: xid, platform)
            } else {
                try await Task.sleep(for: .milliseconds(300))
            }
            opener.finish()
            try await holder.value
            let landed = try await lander.value
            #expect(landed.accepted == rows.count - 1)
            #expect(landed.inSavepoint == 0)
            #expect(landed.direct == (backend == .postgres ? rows.count - 1 : 0))
            let stored = try await platform.pool.read { db in
                try await db.raw("SELECT count(*) AS n FROM readings_recent").first()?.decode(column: "n", as: Int.self)
            }
            #expect(stored == rows.count)
        }
    }

    @Test func integersAreWrittenAsTheirDigits() {
        for number: Int64 in [0, 7, -7, 10, 1_795_000_000_000, .max, .min, -1_000_000_000_000_000_000] {
            var buffer = ByteBuffer()
            TelemetryRepository.writeDecimal(number, into: &buffer)
            #expect(buffer.readString(length: buffer.readableBytes) == String(number))
        }
        var line = ByteBuffer()
        TelemetryRepository.copyLine(42, -3, -0.5, into: &line)
        #expect(line.readString(length: line.readableBytes) == "42\t-3\t-0.5\n")
    }

    /// Waits (60 s at most) until a transaction waits for transaction `xid`'s end (PostgreSQL).
    private func waitUntilSomeoneWaits(for xid: String, _ platform: Platform) async throws {
        let waited = try await eventually(within: .seconds(60), every: .milliseconds(100)) {
            try await platform.pool.read { db in
                try await db.raw(
                    """
                    SELECT count(*) AS n FROM pg_locks
                    WHERE locktype = 'transactionid' AND transactionid::text = \(bind: xid) AND NOT granted
                    """
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            } > 0
        }
        #expect(waited, "no copy ever waited for transaction \(xid)")
    }

    /// Lands `rows` in a transaction of their own and counts, before it commits, the rows it wrote
    /// in a savepoint and those it wrote directly (PostgreSQL; zero and zero on SQLite).
    private func land(_ rows: [(series: Int64, at: Int64, value: Double)], _ platform: Platform) async throws
        -> (accepted: Int, inSavepoint: Int, direct: Int)
    {
        try await platform.pool.transaction { db in
            let (accepted, _) = try await TelemetryRepository().insertReadings(
                count: rows.count, row: { rows[$0] }, route: 0, on: db)
            guard db.dialect.name == "postgresql" else { return (accepted, 0, 0) }
            // A subtransaction's id comes after its parent's; rows of earlier transactions have
            // smaller ones (the test database's ids are far from wrapping).
            let row = try await db.raw(
                """
                WITH me AS (SELECT pg_current_xact_id()::text::bigint % 4294967296 AS xid)
                SELECT count(*) FILTER (WHERE xmin::text::bigint > me.xid) AS sub,
                       count(*) FILTER (WHERE xmin::text::bigint = me.xid) AS top
                FROM readings_recent, me
                """
            ).first()
            return (
                accepted, try row?.decode(column: "sub", as: Int.self) ?? -1,
                try row?.decode(column: "top", as: Int.self) ?? -1
            )
        }
    }
}
