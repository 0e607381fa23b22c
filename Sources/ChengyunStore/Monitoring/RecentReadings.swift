import SQLKit
import SQLiteNIO

/// The time-ordered side of raw telemetry (migration 018): `readings_recent`, keyed by (time,
/// series), and the fold's position in `reading_fold`. Readings before `folded` live in
/// `readings`; the rest here. A fold moves a window of them across (`moveWindow`).
struct RecentReadings: Sendable {
    typealias Row = (series: Int64, at: Int64, value: Double)

    struct FoldState: Sendable, Equatable {
        /// Readings before this are in `readings` only.
        var folded: Int64
        /// Ingest sends readings before this to `readings`, the rest here.
        var route: Int64
    }

    /// Subquery for "before the fold point", read in the same statement as the rows it filters.
    static let foldedSQL = "(SELECT folded FROM reading_fold WHERE id = 1)"

    func state(on db: any SQLDatabase) async throws -> FoldState {
        guard let row = try await db.raw("SELECT folded, route FROM reading_fold WHERE id = 1").first() else {
            return FoldState(folded: 0, route: 0)
        }
        return FoldState(
            folded: try row.decode(column: "folded", as: Int64.self),
            route: try row.decode(column: "route", as: Int64.self))
    }

    /// PostgreSQL, where several nodes write readings: the route is moved under an exclusive
    /// advisory lock and read under a shared one that every write holds until it commits — so
    /// once the move commits no write still sends rows by the old route, on any node (on one
    /// node the hub's generations ensure the same: `MonitoringHub.drain`).
    static let routeLock = "\(ShardRepository.lockSpace), 1000"

    func setRoute(_ route: Int64, on db: any SQLDatabase) async throws {
        if db.dialect.name == "postgresql" {
            try await db.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: Self.routeLock))").run()
        }
        try await db.raw("UPDATE reading_fold SET route = \(bind: route) WHERE id = 1").run()
    }

    /// Takes the route's lock a monitoring turn holds until it commits (PostgreSQL): before the
    /// turn enters the gate, so no turn in the gate waits for a lock that a turn queued behind
    /// it holds, and none waits for a move of the route queued behind turns that hold it shared.
    func hold(_ mode: RouteHold, on db: any SQLDatabase) async throws {
        guard db.dialect.name == "postgresql" else { return }
        switch mode {
        case .none: return
        case .shared: try await db.raw("SELECT pg_advisory_xact_lock_shared(\(unsafeRaw: Self.routeLock))").run()
        case .exclusive: try await db.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: Self.routeLock))").run()
        }
    }

    /// The route a write of readings goes by: the memory's (SQLite's one writer keeps it in step),
    /// or on PostgreSQL the stored one — the turn holds the route's shared lock (`hold`).
    func routeForWrite(memory: Int64, on db: any SQLDatabase) async throws -> Int64 {
        guard db.dialect.name == "postgresql" else { return memory }
        return try await state(on: db).route
    }

    func count(on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM readings_recent").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Rows here (all, or those of some series), each series' newest first — at least its
    /// newest `enough` and back to a change of value, or all of them (what `tracks` needs to
    /// know the latest value and since when it stands). The table is in time order: the scan
    /// walks back from the newest row and stops once every wanted series has that much.
    func newestFirst(series wanted: Set<Int64>?, enough: Int = 8, on db: any SQLDatabase) async throws -> [Int64: [(
        at: Int64, value: Double
    )]] {
        var found: [Int64: [(at: Int64, value: Double)]] = [:]
        if wanted?.isEmpty == true { return found }
        let filter =
            wanted.map { $0.count <= 32 ? " WHERE series_id IN (\($0.map(String.init).joined(separator: ",")))" : "" }
            ?? ""
        var settled = Set<Int64>()
        do {
            try await scan(
                "SELECT series_id, at, value FROM readings_recent\(filter) ORDER BY at DESC, series_id", [], on: db
            ) { row in
                guard wanted == nil || wanted!.contains(row.series), !settled.contains(row.series) else { return }
                found[row.series, default: []].append((row.at, row.value))
                let rows = found[row.series]!
                if let wanted, rows.count >= enough, rows[0].value != row.value {
                    settled.insert(row.series)
                    if settled.count == wanted.count { throw Enough() }
                }
            }
        } catch is Enough {}
        return found
    }

    private struct Enough: Error {}

    /// The next window from `from`: its rows in time order, about `limit` of them, and where it
    /// ends (exclusive) — `before` when it takes all that is left. One scan. A window ends
    /// between two times, and takes in a remainder of up to a quarter of `limit` rather than
    /// leave it for a window of its own: a window writes a page per series whatever it brings
    /// each, so a small one costs nearly as much as a full one.
    func window(from: Int64, before: Int64, limit: Int, on db: any SQLDatabase) async throws -> (
        rows: [Row], end: Int64
    ) {
        var rows: [Row] = []
        let most = limit + limit / 4
        var next: Int64?
        do {
            try await scan(
                "SELECT series_id, at, value FROM readings_recent WHERE at >= ? AND at < ? ORDER BY at, series_id",
                [.integer(Int(from)), .integer(Int(before))], on: db
            ) { row in
                if rows.count >= most, let last = rows.last, row.at != last.at {
                    next = row.at
                    throw Enough()
                }
                rows.append(row)
            }
        } catch is Enough {}
        guard let next else { return (rows, before) }
        // More than the slack is left: end at the first change of time from `limit` rows on
        // (every row before the end is in; the scan was in time order).
        var cut = max(1, limit)
        while cut < rows.count, rows[cut].at == rows[cut - 1].at { cut += 1 }
        guard cut < rows.count else { return (rows, next) }
        let end = rows[cut].at
        rows.removeSubrange(cut...)
        return (rows, end)
    }

    /// Where a window of about `limit` rows from `from` ends (exclusive): the time of the row
    /// `limit` places on, or `before` when fewer are left (PostgreSQL moves a window without
    /// reading it).
    func windowEnd(from: Int64, before: Int64, limit: Int, on db: any SQLDatabase) async throws -> Int64 {
        let row = try await db.raw(
            """
            SELECT at FROM readings_recent WHERE at >= \(bind: from) AND at < \(bind: before) ORDER BY at LIMIT 1 OFFSET \(unsafeRaw: String(limit))
            """
        ).first()
        guard let end = try row?.decode(column: "at", as: Int64.self), end > from else { return before }
        return end
    }

    /// Inserts rows into `readings` (sorted by series, so each page is touched once), ignoring
    /// any already there. The embedded store's fold; PostgreSQL moves a window in one statement
    /// (`copyToHistory(from:before:on:)`).
    func copyToHistory(_ rows: ArraySlice<Row>, on db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        guard let sqlite = db as? SQLiteDirectDatabase else { throw SliceCopyNeedsSQLite() }
        let start = rows.startIndex
        _ = try sqlite.handle.insertEach(
            "INSERT OR IGNORE INTO readings (series_id, at, value) VALUES (?, ?, ?)", count: rows.count
        ) {
            rows[start + $0]
        }
    }

    struct SliceCopyNeedsSQLite: Error, CustomStringConvertible {
        var description: String {
            "copying a fold window in slices is the embedded store's way; PostgreSQL copies in one statement"
        }
    }

    /// PostgreSQL moves a window in one statement (its writers do not wait for each other).
    func copyToHistory(from: Int64, before: Int64, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO readings (series_id, at, value)
            SELECT series_id, at, value FROM readings_recent WHERE at >= \(bind: from) AND at < \(bind: before) ORDER BY series_id, at
            ON CONFLICT DO NOTHING
            """
        ).run()
    }

    /// Drops the rows before `point` (already copied) and moves the fold point there, in one
    /// transaction so a reader sees each reading on exactly one side of it. Steps may commit in
    /// any order: the point only moves forward.
    func trim(before point: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM readings_recent WHERE at < \(bind: point)").run()
        try await db.raw("UPDATE reading_fold SET folded = \(bind: point) WHERE id = 1 AND folded < \(bind: point)")
            .run()
    }

    /// SQLite reads through its handle (a fold reads a million rows); PostgreSQL through SQLKit.
    private func scan(_ sql: String, _ binds: [SQLiteData], on db: any SQLDatabase, _ each: (Row) throws -> Void)
        async throws
    {
        if let sqlite = db as? SQLiteDirectDatabase {
            try sqlite.handle.query(sql, binds) { row in
                guard case .integer(let series) = row.values[0], case .integer(let at) = row.values[1] else { return }
                let value: Double
                switch row.values[2] {
                case .float(let v): value = v
                case .integer(let v): value = Double(v)
                default: return
                }
                try each((Int64(series), Int64(at), value))
            }
            return
        }
        var query = SQLQueryString("")
        for (index, part) in sql.split(separator: "?", omittingEmptySubsequences: false).enumerated() {
            if index > 0, case .integer(let bind) = binds[index - 1] { query.appendInterpolation(bind: Int64(bind)) }
            query.appendLiteral(String(part))
        }
        for row in try await db.raw(query).all() {
            try each(
                (
                    try row.decode(column: "series_id", as: Int64.self), try row.decode(column: "at", as: Int64.self),
                    try row.decode(column: "value", as: Double.self)
                ))
        }
    }
}

/// The lock on the readings' route a monitoring turn takes before the gate (`RecentReadings.hold`):
/// shared to write readings, exclusive to move the route.
enum RouteHold: Sendable {
    case none, shared, exclusive
}
