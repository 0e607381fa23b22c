import ChengyunCore
import Testing

@Suite struct OutboxCursorTests {
    @Test func deliversInOrderAndRemembersWhatItJumpedOver() {
        var cursor = OutboxCursor(position: 10, patience: 5_000)
        #expect(cursor.take([11, 12], now: 0) == [11, 12])
        // 13 and 14 are still in flight when 15 commits.
        #expect(cursor.take([15], now: 100) == [15])
        #expect(cursor.position == 15 && cursor.pending == [13, 14])
        // 14 commits; 13 never does (rolled back) and is given up after the patience.
        #expect(cursor.take([14, 16], now: 200) == [14, 16])
        #expect(cursor.pending == [13])
        #expect(cursor.take([], now: 5_099) == [] && cursor.pending == [13])
        #expect(cursor.take([], now: 5_100) == [] && cursor.pending.isEmpty)
    }

    @Test func neverDeliversTwiceNorWhatIsBehindIt() {
        var cursor = OutboxCursor(position: 3)
        #expect(cursor.take([1, 2, 3], now: 0) == [], "at or before the start")
        #expect(cursor.take([4, 4, 5], now: 0) == [4, 5])
        #expect(cursor.take([4, 5], now: 0) == [])
    }

    @Test func aHugeJumpRemembersOnlyTheNewestGaps() {
        var cursor = OutboxCursor(position: 0)
        #expect(cursor.take([1_000_000], now: 0) == [1_000_000])
        #expect(cursor.pending.count == OutboxCursor.maxGaps)
        #expect(cursor.pending.first == 1_000_000 - Int64(OutboxCursor.maxGaps))
    }

    /// Property: whatever order transactions commit in, each event that commits within the
    /// patience is delivered exactly once, by reads that see `seq > position` plus the gaps.
    @Test func everyCommittedEventArrivesOnceWhateverTheCommitOrder() {
        var random = SplitMix64(seed: 20_261_203)
        for _ in 0..<300 {
            let count = Int.random(in: 1...40, using: &random)
            var order = Array(Int64(1)...Int64(count))
            order.shuffle(using: &random)
            let rolledBack = Set(order.filter { _ in Int.random(in: 0..<10, using: &random) == 0 })
            var committed = Set<Int64>()
            var cursor = OutboxCursor(position: 0, patience: 1_000_000)
            var delivered: [Int64] = []
            var now: Int64 = 0
            for seq in order {
                if !rolledBack.contains(seq) { committed.insert(seq) }
                now += 1
                // A read sees what has committed, above the position or among the gaps.
                let pending = Set(cursor.pending)
                let visible = committed.filter { $0 > cursor.position || pending.contains($0) }.sorted()
                delivered += cursor.take(visible, now: now)
            }
            let pending = Set(cursor.pending)
            delivered += cursor.take(
                committed.filter { $0 > cursor.position || pending.contains($0) }.sorted(), now: now + 1)
            #expect(delivered.count == Set(delivered).count, "no event twice")
            #expect(Set(delivered) == committed, "every committed event")
        }
    }

    @Test func ticksCutTheClockIntoNumberedRounds() {
        let minute = TickClock(every: 60_000)
        #expect(minute.tick(at: 0) == 0 && minute.tick(at: 59_999) == 0 && minute.tick(at: 60_000) == 1)
        #expect(minute.nextStart(after: 59_999) == 60_000 && minute.nextStart(after: 60_000) == 120_000)
        #expect(minute.tick(at: -1) == -1, "before the epoch too")
        #expect(TickClock(every: 0).every == 1)
        var random = SplitMix64(seed: 7)
        for _ in 0..<1000 {
            let every = Int64.random(in: 1...86_400_000, using: &random)
            let now = Int64.random(in: 0...4_000_000_000_000, using: &random)
            let clock = TickClock(every: every)
            let tick = clock.tick(at: now)
            #expect(tick * every <= now && now < clock.nextStart(after: now))
            #expect(clock.tick(at: clock.nextStart(after: now)) == tick + 1)
        }
    }
}
