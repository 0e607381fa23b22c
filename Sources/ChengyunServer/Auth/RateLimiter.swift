import ChengyunCore
import Synchronization

/// Per-key rate limits of this process (token buckets; see `TokenBucket`).
final class RateLimiter: Sendable {
    static let pruneAt = 50_000
    private let buckets = Mutex<[String: TokenBucket]>([:])

    /// 0 when the call may go ahead; otherwise milliseconds until it may.
    func take(key: String, perMinute: Int, at now: Int64) -> Int64 {
        buckets.withLock { buckets in
            // Bounded memory: past a size, buckets idle long enough to be full again are dropped
            // (a full bucket is what a new one would be).
            if buckets.count >= Self.pruneAt {
                buckets = buckets.filter { now - $0.value.updatedAt < 60_000 }
            }
            var bucket = buckets[key].flatMap { $0.perMinute == max(1, perMinute) ? $0 : nil } ?? TokenBucket(perMinute: perMinute, at: now)
            let (allowed, retry) = bucket.take(at: now)
            buckets[key] = bucket
            return allowed ? 0 : retry
        }
    }
}
