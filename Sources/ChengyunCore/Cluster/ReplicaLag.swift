/// How far a read replica trails its primary, in time, from positions in the write-ahead log
/// alone: each check notes the primary's position and when; the replica's lag is the age of the
/// newest noted position it has replayed. An idle primary does not make an up-to-date replica look
/// old (as the time of its last replayed transaction would), and no heartbeat writes are needed.
public struct ReplicaLag: Sendable, Equatable {
    /// (when, the primary's WAL position then), oldest first.
    public private(set) var samples: [(at: Int64, position: Int64)] = []
    /// Samples older than this are dropped: a replica further behind is reported as this far.
    public let horizonMillis: Int64

    public init(horizonMillis: Int64) {
        self.horizonMillis = horizonMillis
    }

    public static func == (lhs: ReplicaLag, rhs: ReplicaLag) -> Bool {
        lhs.horizonMillis == rhs.horizonMillis && lhs.samples.elementsEqual(rhs.samples) { $0 == $1 }
    }

    /// Notes the primary's position at `now`.
    public mutating func record(primary position: Int64, at now: Int64) {
        if let last = samples.last, last.position > position { samples.removeAll() } // a new primary
        samples.append((now, position))
        if let keep = samples.lastIndex(where: { $0.at <= now - horizonMillis }), keep > 0 {
            samples.removeFirst(keep)
        }
    }

    /// Milliseconds the replica trails, having replayed up to `replayed`: the age of the newest
    /// sample at or before that position; the horizon (at least) when it has replayed none of them.
    public func lag(replayed: Int64, now: Int64) -> Int64 {
        guard let reached = samples.last(where: { $0.position <= replayed }) else {
            return max(horizonMillis, now - (samples.first?.at ?? now))
        }
        // Replayed the newest position noted: it has everything the primary had at the last check.
        return max(0, now - reached.at)
    }
}
