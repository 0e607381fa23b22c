import ChengyunCore
import Synchronization

/// Unmetered access-log entries (reads and service calls without a grant) held briefly and then
/// written together. Nothing counts them against a limit, so a read need not wait for a commit of
/// its own — on SQLite with `synchronous=FULL` that is a flush to disk, 20–30 ms a read on this
/// class of machine. Each node writes what it holds every second (`Periodic.accessLogFlush`), at
/// shutdown, once `limit` are held, and before the log is read through it; a node killed outright
/// loses at most its last second's unmetered entries, and a node whose database is out keeps at
/// most `capacity` of them. Metered entries (a grant's reads) are never held: they are written
/// in the transaction that counts them.
public final class AccessLogBuffer: Sendable {
    /// An entry, and the department whose name becomes its consumer when it is written.
    struct Held: Sendable {
        var entry: AccessLogEntry
        var departmentId: String?
    }

    private struct State {
        var held: [Held] = []
        var dropped = 0
        /// When a write last failed: until a second has passed, no read tries one itself.
        var failedAt: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    /// How many are held before the caller that adds one writes them all.
    public static let limit = 500
    /// The most held while the database cannot take them; past it the oldest are dropped (and
    /// counted), so a long outage cannot grow the node's memory without end.
    public static let capacity = 20_000

    public init() {}

    /// Holds an entry; true when enough are held that they are to be written now (not within a
    /// second of a failed write: while the database is out, reads do not each try one).
    func add(_ entry: Held) -> Bool {
        state.withLock {
            $0.held.append(entry)
            Self.trim(&$0)
            let resting = $0.failedAt.map { ContinuousClock.now - $0 < .seconds(1) } ?? false
            return $0.held.count >= Self.limit && !resting
        }
    }

    /// Everything held, oldest first, now no longer held; with how many were dropped since the
    /// last take.
    func take() -> (held: [Held], dropped: Int) {
        state.withLock { state in
            defer { (state.held, state.dropped) = ([], 0) }
            return (state.held, state.dropped)
        }
    }

    /// Holds again, before any added meanwhile, entries whose write failed (writing them twice
    /// is harmless: an entry's id is written once).
    func putBack(_ entries: [Held]) {
        state.withLock {
            $0.held.insert(contentsOf: entries, at: 0)
            $0.failedAt = .now
            Self.trim(&$0)
        }
    }

    /// A write went through: reads may try the next one themselves again.
    func written() {
        state.withLock { $0.failedAt = nil }
    }

    private static func trim(_ state: inout State) {
        guard state.held.count > capacity else { return }
        let over = state.held.count - capacity
        state.held.removeFirst(over)
        state.dropped += over
    }

    var count: Int { state.withLock(\.held.count) }
}
