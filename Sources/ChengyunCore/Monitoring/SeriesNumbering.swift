/// New series numbers when several nodes number series at once: a device's series are numbered
/// by the node that owns its shard (`RuleShards`), from the numbers congruent to the shard modulo
/// the shard count, each above the highest such number stored — so two owners never hand out the
/// same number, and an owner that takes a shard over continues from what the database holds.
public struct SeriesNumbering: Sendable, Equatable {
    private var next: [Int64]

    /// From the numbers already stored.
    public init(existing: some Sequence<Int64>) {
        let count = Int64(RuleShards.count)
        next = (0..<count).map { $0 == 0 ? count : $0 }
        for id in existing where id > 0 {
            let residue = Int(id % count)
            next[residue] = max(next[residue], id + count)
        }
    }

    /// The next number for a device in `shard`.
    public mutating func take(shard: Int) -> Int64 {
        let id = next[shard]
        next[shard] += Int64(RuleShards.count)
        return id
    }

    /// Numbers taken by a batch that failed, given back (the lowest of each shard's is next again).
    public mutating func giveBack(_ ids: [Int64]) {
        let count = Int64(RuleShards.count)
        for id in ids { next[Int(id % count)] = min(next[Int(id % count)], id) }
    }
}
