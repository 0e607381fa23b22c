import ChengyunCore
import Foundation

/// The fold: readings move from the time-ordered `readings_recent`, where ingest writes them
/// cheaply, to `readings`, keyed by series for history queries, a window of about two million at
/// a time sorted by series — so a page of `readings` is written once a window, not once a batch.
/// A window takes in a small remainder rather than leave it for a window of its own (a window
/// of a few rows a series writes nearly as many pages as a full one, in turns that hold up ingest).
///
/// 1. In a monitoring turn (ordered with ingest), `route` moves to the target: later batches
///    send older readings straight to `readings`. Then wait for the batches still committing.
/// 2. Window by window: the rows are copied into `readings` (SQLite: read on a reader connection,
///    sorted, inserted in slices of a few thousand so a write turn stays short; PostgreSQL: one
///    statement), then dropped from `readings_recent` while `folded` moves past them, in one
///    transaction a step. Readers take `readings` before `folded` and `readings_recent`, so
///    each reading counts once throughout.
/// A fold cut short (a crash) is finished by the next one: `route` ahead of `folded` says so,
/// and copying again is harmless.
extension TelemetryService {
    /// Folds everything before `target` (at least); returns the readings moved.
    @discardableResult
    public func foldReadings(upTo target: Int64) async throws -> Int {
        try await platform.monitoring.folding.withConnection { _ in try await fold(upTo: target) }
    }

    /// Folds when enough readings wait (or some have waited long enough) — the monitoring clock
    /// asks every second. Returns the readings moved.
    @discardableResult
    public func foldIfDue(lastFold: Int64) async throws -> Int {
        let settings = platform.settings.telemetry
        let now = platform.now()
        let waiting = platform.monitoring.staged.withLock { $0 }
        let state = try await platform.pool.read { try await RecentReadings().state(on: $0) }
        // In a cluster other nodes write readings too, uncounted here: time alone says when.
        let someWait = waiting > 0 || platform.shards.isClustered
        guard
            waiting >= settings.foldRows || (someWait && now - lastFold >= settings.foldEveryMillis)
                || state.route > state.folded
        else {
            return 0
        }
        return try await foldReadings(upTo: now - settings.foldLagMillis)
    }

    private func fold(upTo target: Int64) async throws -> Int {
        let recent = RecentReadings()
        let hub = platform.monitoring
        // The route moves under the exclusive lock, which stops ingest for a moment; a fold that
        // will not move it (one cut short and finished now, or nothing new to fold) takes none.
        var state = try await platform.pool.read { try await recent.state(on: $0) }
        guard state.route > state.folded || target > state.route else { return 0 }
        if state.route == state.folded {
            state = try await moveRoute(to: target)
        }
        guard state.route > state.folded else { return 0 }
        try await hub.drain()
        var point = state.folded
        var moved = 0
        while point < state.route {
            let window = try await moveWindow(
                from: point, upTo: state.route, rows: platform.settings.telemetry.foldWindowRows)
            moved += window.moved
            point = window.end
        }
        hub.staged.withLock { $0 = max(0, $0 - moved) }
        return moved
    }

    /// Moves the route to `target` under the exclusive lock, unless a fold point is already ahead
    /// of the fold (checked again under the lock); returns the state as it stands then.
    private func moveRoute(to target: Int64) async throws -> RecentReadings.FoldState {
        let recent = RecentReadings()
        let hub = platform.monitoring
        return try await hub.transaction(platform, route: .exclusive) { db, memory -> RecentReadings.FoldState in
            var state = try await recent.state(on: db)
            if state.route == state.folded, target > state.route {
                state.route = target
                try await recent.setRoute(target, on: db)
                memory.route = target
                hub.nextGeneration()
            }
            return state
        }
    }

    /// Moves the next window from `from` (about `rowLimit` readings, none at or after `route`)
    /// across and the fold point to its end; returns how many moved and that end.
    private func moveWindow(from: Int64, upTo route: Int64, rows rowLimit: Int) async throws -> (moved: Int, end: Int64)
    {
        let recent = RecentReadings()
        var times = FoldTimes()
        guard platform.pool.backend == .sqlite else {
            let before = try await times.timed(\.read) {
                try await platform.pool.read {
                    try await recent.windowEnd(from: from, before: route, limit: rowLimit, on: $0)
                }
            }
            // One transaction: the copy's time covers the count and the copy, the trim's the drop.
            let (moved, inside) = try await platform.pool.transaction { db in
                var inside = FoldTimes()
                let count = try await inside.timed(\.copy) {
                    let count =
                        try await db.raw(
                            "SELECT COUNT(*) AS n FROM readings_recent WHERE at >= \(bind: from) AND at < \(bind: before)"
                        )
                        .first()?.decode(column: "n", as: Int.self) ?? 0
                    try await recent.copyToHistory(from: from, before: before, on: db)
                    return count
                }
                try await inside.timed(\.trim) { try await recent.trim(before: before, on: db) }
                return (count, inside)
            }
            platform.monitoring.foldClock.add(times + inside, rows: moved)
            return (moved, before)
        }
        let (rows, before) = try await times.timed(\.read) {
            try await platform.pool.read {
                try await recent.window(from: from, before: route, limit: rowLimit, on: $0)
            }
        }
        let slice = max(1, platform.settings.telemetry.foldSliceRows)
        // Behind (more windows to go): two slices at once, so they share the writer's turns with
        // ingest instead of taking one turn each.
        let parallel = before < route ? 2 : 1
        // Copy in series order…
        let bySeries = times.timedNow(\.sort) { rows.sorted { ($0.series, $0.at) < ($1.series, $1.at) } }
        try await times.timed(\.copy) {
            try await inParallel(
                parallel,
                stride(from: 0, to: bySeries.count, by: slice).map { start in
                    bySeries[start..<min(start + slice, bySeries.count)]
                }
            ) { part in
                try await platform.pool.transaction { db in try await recent.copyToHistory(part, on: db) }
            }
        }
        // …then drop in time order, the fold point following (each step ends between two times;
        // dropping is cheaper than copying, so a step takes more).
        var points: [Int64] = []
        var start = 0
        while start < rows.count {
            var end = min(start + 5 * slice, rows.count)
            while end < rows.count, rows[end].at == rows[end - 1].at { end += 1 }
            points.append(end < rows.count ? rows[end].at : before)
            start = end
        }
        if points.isEmpty { points = [before] }
        try await times.timed(\.trim) {
            try await inParallel(parallel, points) { point in
                try await platform.pool.transaction { db in try await recent.trim(before: point, on: db) }
            }
        }
        platform.monitoring.foldClock.add(times, rows: rows.count)
        return (rows.count, before)
    }

    /// Runs `work` on each item, at most `width` at a time.
    private func inParallel<Item: Sendable>(
        _ width: Int, _ items: [Item], _ work: @escaping @Sendable (Item) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, item) in items.enumerated() {
                if index >= width { try await group.next() }
                group.addTask { try await work(item) }
            }
            try await group.waitForAll()
        }
    }

    /// Raw readings stored: in all, and how many still wait on the recent side.
    public func storedReadings() async throws -> (all: Int, recent: Int) {
        try await platform.pool.read { (try await telemetry.count(on: $0), try await RecentReadings().count(on: $0)) }
    }
}
