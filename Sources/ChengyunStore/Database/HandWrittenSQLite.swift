import Foundation

/// Where hand-written baselines run: one connection configured like the platform's writer (same
/// C-level handle, pragmas, automatic checkpoints left to the checkpointer) with the platform's
/// checkpointer beside it, the work on a thread of its own as the platform's writer has.
enum HandWrittenSQLite {
    static func run<T: Sendable>(path: String, _ work: @escaping @Sendable (SQLiteHandle) throws -> T) async throws -> T
    {
        let handle = try SQLiteHandle(path: path)
        defer { handle.close() }
        try SQLiteDatabasePool.configure(handle)
        try SQLiteDatabasePool.leaveCheckpointsToTheCheckpointer(handle)
        let checkpointer = try SQLiteDatabasePool.checkpointer(path: path, logger: .init(label: "baseline"))
        defer { checkpointer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work(handle) }) }.start()
        }
    }
}

extension RawReadingsBaseline {
    /// The batches of a timed run, as the platform's client sends them: each a fresh time and the
    /// next `shape.batch` rows over the series in turn; a fold due whenever `shape.foldRows` wait.
    struct TimedBatches {
        let shape: Shape
        let start = ContinuousClock.now
        let deadline: ContinuousClock.Instant
        private(set) var appended = 0, waiting = 0
        private var stamp = Int64(Date().timeIntervalSince1970 * 1000)

        init(seconds: Double, shape: Shape) {
            self.shape = shape
            deadline = start + .milliseconds(Int(seconds * 1000))
        }

        /// The next batch's rows, or nil once the clock has stopped.
        mutating func next() -> [(Int64, Int64, Double)]? {
            guard ContinuousClock.now < deadline else { return nil }
            stamp += 1
            let (at, series) = (stamp, shape.series)
            return (appended..<(appended + shape.batch)).map { n in (Int64(n % series + 1), at, Double(n % 97) + 0.5) }
        }

        /// Counts a landed batch; true when a fold is due (the count of waiting rows then restarts).
        mutating func landed() -> Bool {
            appended += shape.batch
            waiting += shape.batch
            guard waiting >= shape.foldRows else { return false }
            waiting = 0
            return true
        }

        /// The figures, once the backlog left at the clock has been folded in `drainSeconds`.
        func figures(appendSeconds: Double, drainSeconds: Double) -> Figures {
            Figures(rows: appended, appendSeconds: appendSeconds, unfolded: waiting, drainSeconds: drainSeconds)
        }
    }
}
