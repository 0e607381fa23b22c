/// Where a node's live streams stand in the event outbox (docs/domain.md, "a city on several
/// nodes"). Sequence numbers are taken when a transaction writes its events but become visible
/// when it commits, so on PostgreSQL a later number can be seen before an earlier one: reading
/// `seq > position` alone would skip the earlier one for good. The cursor delivers what it sees
/// at once, remembers each number it jumped over as a gap, asks for the gaps again on every read,
/// and gives a gap up after `patience` (its transaction rolled back, or never wrote an event).
public struct OutboxCursor: Sendable, Equatable {
    /// The highest sequence number delivered.
    public private(set) var position: Int64
    /// Numbers below `position` not seen yet, with when each was first missed (epoch ms).
    public private(set) var gaps: [Int64: Int64] = [:]
    public var patience: Int64
    /// Gaps remembered at most; the oldest go first (a burst of rollbacks must not grow the query).
    public static let maxGaps = 1000

    public init(position: Int64, patience: Int64 = 10_000) {
        self.position = position
        self.patience = patience
    }

    /// A cursor starting at `position` that still waits for `missing` (numbers below it whose
    /// transactions may not have committed yet), as first missed at `at`.
    public init(position: Int64, missing: Set<Int64>, at: Int64, patience: Int64 = 10_000) {
        self.init(position: position, patience: patience)
        for seq in missing.sorted().suffix(Self.maxGaps) where seq < position { gaps[seq] = at }
    }

    /// The gaps to ask for on the next read, in order.
    public var pending: [Int64] { gaps.keys.sorted() }

    /// Takes the sequence numbers one read returned (those above `position` and any gaps that
    /// appeared) and says which to deliver, in order: each number exactly once.
    public mutating func take(_ seen: [Int64], now: Int64) -> [Int64] {
        var deliver: [Int64] = []
        for seq in Set(seen).sorted() {
            if gaps.removeValue(forKey: seq) != nil {
                deliver.append(seq)
            } else if seq > position {
                var missing = max(position + 1, seq - Int64(Self.maxGaps))
                while missing < seq {
                    gaps[missing] = now
                    missing += 1
                }
                position = seq
                deliver.append(seq)
            }
        }
        gaps = gaps.filter { now - $0.value < patience }
        if gaps.count > Self.maxGaps {
            for seq in pending.prefix(gaps.count - Self.maxGaps) { gaps[seq] = nil }
        }
        return deliver
    }
}
