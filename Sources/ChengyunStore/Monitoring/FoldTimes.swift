import Synchronization

/// Where the fold's time goes, summed over every window since the process started: reading a
/// window from `readings_recent`, sorting it by series (SQLite), copying it into `readings`, and
/// dropping it from `readings_recent`. A fold that runs slower than before says which step grew
/// (`chengyun bench ingest` prints these beside its drain time).
public struct FoldTimes: Sendable, Equatable {
    public var windows = 0
    public var rows = 0
    public var read: Duration = .zero
    public var sort: Duration = .zero
    public var copy: Duration = .zero
    public var trim: Duration = .zero

    public init() {}

    /// What was added between `earlier` and this.
    public func since(_ earlier: FoldTimes) -> FoldTimes {
        var d = FoldTimes()
        (d.windows, d.rows) = (windows - earlier.windows, rows - earlier.rows)
        (d.read, d.sort) = (read - earlier.read, sort - earlier.sort)
        (d.copy, d.trim) = (copy - earlier.copy, trim - earlier.trim)
        return d
    }
}

/// The running sums, shared by a node's folds.
final class FoldClock: Sendable {
    private let totals = Mutex(FoldTimes())

    var current: FoldTimes { totals.withLock { $0 } }

    /// Runs `work`, adding its duration to the step `step` names.
    func timed<T>(_ step: WritableKeyPath<FoldTimes, Duration>, _ work: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        let value = try await work()
        let took = ContinuousClock.now - started
        totals.withLock { $0[keyPath: step] += took }
        return value
    }

    func window(rows: Int) {
        totals.withLock {
            $0.windows += 1
            $0.rows += rows
        }
    }
}

extension FoldClock {
    /// `timed` for work that does not wait.
    func timedNow<T>(_ step: WritableKeyPath<FoldTimes, Duration>, _ work: () throws -> T) rethrows -> T {
        let started = ContinuousClock.now
        let value = try work()
        let took = ContinuousClock.now - started
        totals.withLock { $0[keyPath: step] += took }
        return value
    }
}
