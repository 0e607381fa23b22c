import Synchronization

/// Where the fold's time goes, summed over the windows a node's fold has moved since its hub was
/// made: reading a window from `readings_recent` (PostgreSQL: finding its end; the rows stay in
/// the database), sorting it by series (SQLite), copying it into `readings` (PostgreSQL: with the
/// count of its rows), and dropping it from `readings_recent`. Each is wall time, its waits
/// included — for a connection, and on SQLite for the writer's turns it shares with ingest and
/// the commits; slices run at once are timed together. Not in any step: moving the route (the
/// exclusive lock), waiting for the turns still committing, and on PostgreSQL the transaction's
/// begin and commit; so the steps add up to less than the fold's time. A window that fails adds
/// nothing. A fold that runs slower than before says which step grew (`chengyun bench ingest`
/// prints these beside its drain time).
public struct FoldTimes: Sendable, Equatable {
    public var windows = 0
    public var rows = 0
    public var read: Duration = .zero
    public var sort: Duration = .zero
    public var copy: Duration = .zero
    public var trim: Duration = .zero

    public init() {}

    /// Both together (several nodes' folds, say).
    public static func + (a: FoldTimes, b: FoldTimes) -> FoldTimes { a.fieldwise(b, +, +) }

    /// What was added between `earlier` and this.
    public func since(_ earlier: FoldTimes) -> FoldTimes { fieldwise(earlier, -, -) }

    /// Every field of this and `other` combined: counts by `count`, times by `time`.
    private func fieldwise(
        _ other: FoldTimes, _ count: (Int, Int) -> Int, _ time: (Duration, Duration) -> Duration
    ) -> FoldTimes {
        var result = FoldTimes()
        (result.windows, result.rows) = (count(windows, other.windows), count(rows, other.rows))
        for step: WritableKeyPath<FoldTimes, Duration> in [\.read, \.sort, \.copy, \.trim] {
            result[keyPath: step] = time(self[keyPath: step], other[keyPath: step])
        }
        return result
    }

    /// Runs `work`, adding its wall time to `step`.
    mutating func timed<T>(_ step: WritableKeyPath<FoldTimes, Duration>, _ work: () async throws -> T)
        async rethrows -> T
    {
        let started = ContinuousClock.now
        let value = try await work()
        self[keyPath: step] += ContinuousClock.now - started
        return value
    }

    /// `timed` for work that does not wait.
    mutating func timedNow<T>(_ step: WritableKeyPath<FoldTimes, Duration>, _ work: () throws -> T) rethrows -> T {
        let started = ContinuousClock.now
        let value = try work()
        self[keyPath: step] += ContinuousClock.now - started
        return value
    }
}

/// A hub's running sums: each window's times are added once it has moved.
final class FoldClock: Sendable {
    private let totals = Mutex(FoldTimes())

    var current: FoldTimes { totals.withLock { $0 } }

    func add(_ window: FoldTimes, rows: Int) {
        totals.withLock {
            $0 = $0 + window
            $0.windows += 1
            $0.rows += rows
        }
    }
}
