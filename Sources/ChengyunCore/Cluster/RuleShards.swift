/// Devices' rule state is owned shard by shard (docs/domain.md §10): a device's shard comes from
/// its code alone, so every node — even one that has not loaded the device yet — agrees on it;
/// each shard is judged by one node at a time, under a lease with an epoch that its writes check.
public enum RuleShards {
    public static let count = 32
    /// A lease lasts this long unless renewed (every node renews its own each second).
    public static let leaseMillis: Int64 = 5_000

    /// FNV-1a of the code's UTF-8 bytes, folded by a final mix.
    public static func shard(ofDevice code: String) -> Int {
        Int(mix(fnv(code)) % UInt64(count))
    }

    /// The live node with the highest weight for the shard (rendezvous hashing): every node
    /// computes the same owner from the same list, and a node coming or going moves only the
    /// shards it gains or held. Nil without nodes.
    public static func owner(of shard: Int, among nodes: [String]) -> String? {
        nodes.max { a, b in
            let (wa, wb) = (weight(a, shard), weight(b, shard))
            return wa == wb ? a > b : wa < wb
        }
    }

    static func weight(_ node: String, _ shard: Int) -> UInt64 {
        mix(fnv(node) ^ UInt64(shard) &* 0x9E37_79B9_7F4A_7C15)
    }

    static func fnv(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    /// SplitMix64's finaliser: spreads nearby inputs over the whole range.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A shard's row: who holds it, under which epoch, until when ("" when nobody does).
public struct ShardLease: Codable, Sendable, Equatable {
    public var shard: Int
    public var nodeId: String
    public var epoch: Int64
    public var expiresAt: Int64

    public init(shard: Int, nodeId: String, epoch: Int64, expiresAt: Int64) {
        self.shard = shard
        self.nodeId = nodeId
        self.epoch = epoch
        self.expiresAt = expiresAt
    }

    public func isHeld(at now: Int64) -> Bool { !nodeId.isEmpty && expiresAt > now }
}

/// What one node does with the shards in a round, from the leases as they stand and the nodes
/// alive: keep (renew) the ones its name is on and should be, hand back the ones another live
/// node should hold, and take the ones it should hold once nobody holds them (free, or the lease
/// ran out — its holder died or stalled). A lease still running is never taken: its holder hands
/// it back itself, so two nodes never judge one device.
public struct ShardPlan: Equatable, Sendable {
    public var renew: [Int] = []
    public var release: [Int] = []
    public var claim: [Int] = []

    public init(leases: [ShardLease], alive: [String], me: String, now: Int64) {
        let nodes = Array(Set(alive + [me])).sorted()
        for lease in leases.sorted(by: { $0.shard < $1.shard }) {
            let wanted = RuleShards.owner(of: lease.shard, among: nodes)
            if lease.nodeId == me {
                if wanted == me { renew.append(lease.shard) } else { release.append(lease.shard) }
            } else if wanted == me && !lease.isHeld(at: now) {
                claim.append(lease.shard)
            }
        }
    }
}
