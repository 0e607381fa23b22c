import ChengyunCore
import Synchronization

/// Unmetered access-log entries (reads and service calls without a grant) held briefly and then
/// written together. Nothing counts them against a limit, so a read need not wait for a commit of
/// its own — on SQLite with `synchronous=FULL` that is a flush to disk, 20–30 ms a read on this
/// class of machine. Each node writes what it holds every second (`Periodic.accessLogFlush`), at
/// shutdown, once `limit` are held, and before the log is read through it; a node killed outright
/// loses at most its last second's unmetered entries. Metered entries (a grant's reads) are
/// never held: they are written in the transaction that counts them.
public final class AccessLogBuffer: Sendable {
    /// An entry, and the department whose name becomes its consumer when it is written.
    struct Held: Sendable {
        var entry: AccessLogEntry
        var departmentId: String?
    }

    private let held = Mutex<[Held]>([])
    /// How many are held before the caller that adds one writes them all.
    public static let limit = 500

    public init() {}

    /// Holds an entry; true when enough are held that they are to be written now.
    func add(_ entry: Held) -> Bool {
        held.withLock {
            $0.append(entry)
            return $0.count >= Self.limit
        }
    }

    /// Everything held, oldest first, now no longer held.
    func take() -> [Held] {
        held.withLock {
            let all = $0
            $0 = []
            return all
        }
    }

    /// Holds again, before any added meanwhile, entries whose write failed.
    func putBack(_ entries: [Held]) {
        held.withLock { $0.insert(contentsOf: entries, at: 0) }
    }

    public var count: Int { held.withLock(\.count) }
}
