import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Two nodes on one database count one key's calls together: neither lets through the whole limit
/// of its own, even when the calls race.
@Suite(.timeLimit(.minutes(5))) struct SharedRateLimitsTests {
    @Test(arguments: TestBackend.available) func twoNodesShareOneBucket(backend: TestBackend) async throws {
        try await withTwoPools(backend) { poolA, poolB async throws in
            let (a, b) = (SharedRateLimits(pool: poolA), SharedRateLimits(pool: poolB))
            let t0: Int64 = 1_000_000
            // Four a minute: four calls alternating between the nodes go ahead, the fifth waits 15 s.
            for (index, node) in [a, b, a, b].enumerated() {
                #expect(try await node.take(key: "login:10.0.0.9", perMinute: 4, at: t0) == 0, "call \(index + 1)")
            }
            #expect(try await a.take(key: "login:10.0.0.9", perMinute: 4, at: t0) == 15_000)
            #expect(try await b.take(key: "login:10.0.0.9", perMinute: 4, at: t0 + 7_500) == 7_500)
            #expect(try await b.take(key: "login:10.0.0.9", perMinute: 4, at: t0 + 15_000) == 0, "a token came back")
            // Another key has its own bucket; a changed limit starts a fresh one.
            #expect(try await a.take(key: "login:10.0.0.10", perMinute: 4, at: t0) == 0)
            #expect(try await a.take(key: "login:10.0.0.9", perMinute: 6, at: t0 + 15_000) == 0)
        }
    }

    @Test(arguments: TestBackend.available) func racingCallsTakeNoMoreThanTheLimit(backend: TestBackend) async throws {
        try await withTwoPools(backend) { poolA, poolB in
            let (a, b) = (SharedRateLimits(pool: poolA), SharedRateLimits(pool: poolB))
            let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<24 {
                    let node = index.isMultiple(of: 2) ? a : b
                    group.addTask { try await node.take(key: "login-account:admin", perMinute: 10, at: 5_000) == 0 }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(allowed == 10)
        }
    }

    @Test(arguments: TestBackend.available) func theStatementDoesTheBucketsArithmetic(backend: TestBackend) async throws
    {
        // The same calls, at the same times, to the database's bucket and to Core's `TokenBucket`:
        // the same answers, for random rates, bursts and pauses (a changed rate starts afresh).
        try await withTwoPools(backend) { poolA, poolB async throws in
            let (a, b) = (SharedRateLimits(pool: poolA), SharedRateLimits(pool: poolB))
            var generator = SplitMix64(seed: 24)
            for round in 0..<4 {
                let rate = Int.random(in: 1...90, using: &generator)
                var bucket = TokenBucket(perMinute: rate, at: 0)
                var now: Int64 = 0
                for call in 0..<60 {
                    now += [0, 0, 50, 700, 1_300, 9_000, 61_000].randomElement(using: &generator)!
                    let (allowed, retry) = bucket.take(at: now)
                    let node = call.isMultiple(of: 2) ? a : b
                    let shared = try await node.take(key: "key-\(round)", perMinute: rate, at: now)
                    #expect(shared == (allowed ? 0 : retry), "rate \(rate), call \(call) at \(now)")
                }
            }
        }
    }

    @Test(arguments: TestBackend.available) func idleBucketsArePruned(backend: TestBackend) async throws {
        try await withTwoPools(backend) { poolA, _ in
            let a = SharedRateLimits(pool: poolA)
            _ = try await a.take(key: "old", perMinute: 2, at: 0)
            _ = try await a.take(key: "old", perMinute: 2, at: 0)
            _ = try await a.take(key: "new", perMinute: 2, at: 50_000)
            try await a.prune(before: 30_000)
            let keys = try await a.pool.read { db in
                try await db.select().column("bucket_key").from("rate_buckets").all()
                    .map { try $0.decode(column: "bucket_key", as: String.self) }
            }
            #expect(keys == [SharedRateLimits.digest("new")], "keys are kept as digests, never as sent")
            // A pruned bucket was full again: the key starts afresh, as it would have anyway.
            #expect(try await a.take(key: "old", perMinute: 2, at: 60_000) == 0)
        }
    }
}
