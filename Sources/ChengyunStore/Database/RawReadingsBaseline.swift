import Foundation
import SQLKit

/// The yardstick for telemetry ingest (`chengyun bench ingest`): the same durable work as the
/// platform's append-then-fold design, written by hand the simplest way — on a freshly migrated
/// file (the platform's own tables and indexes) with the same C-level handle, pragmas and
/// checkpointer, one thread: append each batch of `batch` rows (one time, `batch` series) to
/// `readings_recent` in a transaction of its own; whenever `foldRows` wait, fold them the
/// platform's way (windows of `windowRows` read in time order, sorted by series, inserted into
/// `readings` in transactions of `sliceRows`, then dropped from `readings_recent`). Appends
/// stop when the clock does; the backlog left then is reported and folded before the rate is
/// worked out, so the figure covers every row landed and folded.
public enum RawReadingsBaseline {
    public struct Figures: Sendable {
        public var rows: Int
        public var appendSeconds: Double
        /// Rows waiting in `readings_recent` when the clock stopped, and the time to fold them.
        public var unfolded: Int
        public var drainSeconds: Double
        /// Rows landed and folded per second of the whole run.
        public var perSecond: Double { Double(rows) / (appendSeconds + drainSeconds) }
    }

    public struct Shape: Sendable {
        public var series: Int, batch: Int, foldRows: Int, windowRows: Int, sliceRows: Int
        public init(series: Int, batch: Int, foldRows: Int, windowRows: Int, sliceRows: Int) {
            self.series = series
            self.batch = batch
            self.foldRows = foldRows
            self.windowRows = windowRows
            self.sliceRows = sliceRows
        }
    }

    struct WindowTooSmall: Error, CustomStringConvertible {
        var description: String { "a fold window must hold at least one time's rows (one batch)" }
    }

    public static func run(path: String, seconds: Double, shape: Shape) async throws -> Figures {
        try await HandWrittenSQLite.run(path: path) { handle in
            try appendAndFold(handle, seconds: seconds, shape: shape)
        }
    }

    private static func appendAndFold(_ handle: SQLiteHandle, seconds: Double, shape: Shape) throws -> Figures {
        var batches = TimedBatches(seconds: seconds, shape: shape)
        while let rows = batches.next() {
            try handle.query("BEGIN IMMEDIATE", []) { _ in }
            _ = try handle.insertEach(
                "INSERT OR IGNORE INTO readings_recent (series_id, at, value) VALUES (?, ?, ?)", count: rows.count
            ) { rows[$0] }
            try handle.query("COMMIT", []) { _ in }
            if batches.landed() { try fold(handle, shape: shape) }
        }
        let appendSeconds = (ContinuousClock.now - batches.start).seconds
        let drainStart = ContinuousClock.now
        try fold(handle, shape: shape)
        return batches.figures(appendSeconds: appendSeconds, drainSeconds: (ContinuousClock.now - drainStart).seconds)
    }

    /// Everything in `readings_recent` into `readings`, window by window.
    private static func fold(_ handle: SQLiteHandle, shape: Shape) throws {
        while true {
            var rows: [(Int64, Int64, Double)] = []
            rows.reserveCapacity(shape.windowRows + 1)
            try handle.query(
                "SELECT series_id, at, value FROM readings_recent ORDER BY at, series_id LIMIT ?",
                [.integer(shape.windowRows + 1)]
            ) { row in
                guard case .integer(let series) = row.values[0], case .integer(let at) = row.values[1],
                    case .float(let value) = row.values[2]
                else { return }
                rows.append((Int64(series), Int64(at), value))
            }
            guard let last = rows.last else { return }
            // A full window ends before the last time it reached (that time may go on beyond it).
            let whole = rows.count <= shape.windowRows
            let end = whole ? last.1 + 1 : last.1
            if !whole { rows.removeAll { $0.1 >= end } }
            guard !rows.isEmpty else { throw WindowTooSmall() }
            rows.sort { ($0.0, $0.1) < ($1.0, $1.1) }
            for sliceStart in stride(from: 0, to: rows.count, by: shape.sliceRows) {
                let slice = rows[sliceStart..<min(sliceStart + shape.sliceRows, rows.count)]
                try handle.query("BEGIN IMMEDIATE", []) { _ in }
                _ = try handle.insertEach(
                    "INSERT OR IGNORE INTO readings (series_id, at, value) VALUES (?, ?, ?)", count: slice.count
                ) {
                    slice[sliceStart + $0]
                }
                try handle.query("COMMIT", []) { _ in }
            }
            try handle.query("BEGIN IMMEDIATE", []) { _ in }
            try handle.query("DELETE FROM readings_recent WHERE at < ?", [.integer(Int(end))]) { _ in }
            try handle.query("COMMIT", []) { _ in }
            if whole { return }
        }
    }
}
