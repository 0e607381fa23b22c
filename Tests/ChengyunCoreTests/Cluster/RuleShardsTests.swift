import ChengyunCore
import Testing

/// Shards of devices' rule state: where a device's shard comes from, who owns each shard among
/// the live nodes (and what moves when one comes or goes), what a node does in a round, and how
/// owners number series without meeting.
@Suite struct RuleShardsTests {
    @Test func aDevicesShardComesFromItsCodeAloneAndSpreadsEvenly() {
        #expect(RuleShards.shard(ofDevice: "ENV-A") == RuleShards.shard(ofDevice: "ENV-A"))
        var counts = [Int](repeating: 0, count: RuleShards.count)
        for index in 0..<32_000 { counts[RuleShards.shard(ofDevice: "DEV-\(index)")] += 1 }
        // 1,000 each on average; a fair spread stays well within ±15 %.
        #expect(counts.allSatisfy { (850...1150).contains($0) }, "\(counts)")
    }

    @Test func everyShardHasOneOwnerAndOnlyALeavingNodesShardsMove() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let nodes = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                "node-\(UInt32.random(in: 0...UInt32.max, using: &generator))"
            }
            let owners = (0..<RuleShards.count).map { RuleShards.owner(of: $0, among: nodes) }
            #expect(owners.allSatisfy { $0 != nil && nodes.contains($0!) })
            #expect(owners == (0..<RuleShards.count).map { RuleShards.owner(of: $0, among: nodes.reversed()) })
            guard nodes.count > 1 else { continue }
            let gone = nodes[0]
            let rest = Array(nodes.dropFirst())
            for shard in 0..<RuleShards.count where owners[shard] != gone {
                #expect(
                    RuleShards.owner(of: shard, among: rest) == owners[shard], "a shard of a node that stayed moved")
            }
            // And back: a node joining takes shards only for itself.
            for shard in 0..<RuleShards.count {
                let before = RuleShards.owner(of: shard, among: rest)
                let after = RuleShards.owner(of: shard, among: nodes)
                #expect(after == before || after == gone)
            }
        }
        #expect(RuleShards.owner(of: 3, among: []) == nil)
    }

    @Test func aRoundRenewsHandsBackAndTakesWhatIsFree() {
        let now: Int64 = 100_000
        let free = (0..<RuleShards.count).map { ShardLease(shard: $0, nodeId: "", epoch: 0, expiresAt: 0) }
        // Alone: every shard is taken.
        #expect(ShardPlan(leases: free, alive: [], me: "a", now: now).claim == Array(0..<RuleShards.count))
        // a holds them all and b has come: a keeps its own share and hands b's back; b waits for them.
        let held = free.map { ShardLease(shard: $0.shard, nodeId: "a", epoch: 1, expiresAt: now + 4_000) }
        let forB = (0..<RuleShards.count).filter { RuleShards.owner(of: $0, among: ["a", "b"]) == "b" }
        let planA = ShardPlan(leases: held, alive: ["a", "b"], me: "a", now: now)
        #expect(planA.release == forB && planA.claim.isEmpty)
        #expect(planA.renew == (0..<RuleShards.count).filter { !forB.contains($0) })
        #expect(
            ShardPlan(leases: held, alive: ["a", "b"], me: "b", now: now)
                == ShardPlan(leases: [], alive: [], me: "b", now: now))
        // Handed back (free), b takes them.
        let handed = held.map {
            forB.contains($0.shard) ? ShardLease(shard: $0.shard, nodeId: "", epoch: 2, expiresAt: 0) : $0
        }
        #expect(ShardPlan(leases: handed, alive: ["a", "b"], me: "b", now: now).claim == forB)
        // a died: once its leases run out, b takes them all — not before.
        #expect(ShardPlan(leases: held, alive: ["b"], me: "b", now: now).claim.isEmpty)
        #expect(ShardPlan(leases: held, alive: ["b"], me: "b", now: now + 4_000).claim == Array(0..<RuleShards.count))
    }

    @Test func ownersNumberSeriesWithoutMeeting() {
        // Stored: 1, 2, 3 and 33 (33 ≡ 1 mod 32).
        var numbering = SeriesNumbering(existing: [1, 2, 3, 33])
        #expect(numbering.take(shard: 1) == 65)
        #expect(numbering.take(shard: 1) == 97)
        #expect(numbering.take(shard: 0) == 32)
        #expect(numbering.take(shard: 2) == 34)
        #expect(numbering.take(shard: 5) == 5)
        numbering.giveBack([65, 97])
        #expect(numbering.take(shard: 1) == 65)
        // An owner taking a shard over numbers on from what its last owner stored, never again
        // one of those: the numbering is read afresh from the stored numbers.
        var first = SeriesNumbering(existing: [1, 2, 3, 33])
        let before = (0..<50).map { _ in first.take(shard: 7) }
        var next = SeriesNumbering(existing: [1, 2, 3, 33] + before)
        let after = (0..<50).map { _ in next.take(shard: 7) }
        #expect(Set(before).isDisjoint(with: after) && after.allSatisfy { $0 % 32 == 7 })
        #expect(before.first == 7 && after.first == 7 + 50 * 32)
    }
}
