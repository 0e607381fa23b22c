import ChengyunCore
import ChengyunStore
import Logging
import Synchronization

/// Per-key rate limits of this process (token buckets; see `TokenBucket`). Memory is bounded:
/// past `pruneAt` keys, buckets idle long enough to be full again are dropped (a full bucket is
/// what a new one would be), at most once a second; at `capacity` keys a new key waits a second
/// rather than grow the table (a flood of made-up names cannot exhaust memory).
final class RateLimiter: RateLimits {
    static let pruneAt = 50_000
    static let capacity = 200_000

    private struct State {
        var buckets: [String: TokenBucket] = [:]
        var prunedAt: Int64 = .min / 2
    }
    private let state = Mutex(State())

    /// 0 when the call may go ahead; otherwise milliseconds until it may.
    func take(key: String, perMinute: Int, at now: Int64) -> Int64 {
        state.withLock { state in
            if state.buckets.count >= Self.pruneAt && now - state.prunedAt >= 1000 {
                state.buckets = state.buckets.filter { now - $0.value.updatedAt < 60_000 }
                state.prunedAt = now
            }
            let existing = state.buckets[key].flatMap { $0.perMinute == max(1, perMinute) ? $0 : nil }
            if existing == nil && state.buckets.count >= Self.capacity { return 1000 }
            var bucket = existing ?? TokenBucket(perMinute: perMinute, at: now)
            let (allowed, retry) = bucket.take(at: now)
            state.buckets[key] = bucket
            return allowed ? 0 : retry
        }
    }
}

/// The city's shared limits, or this node's own while the database cannot answer: a login is then
/// limited per node rather than refused with a 500 or let through unlimited.
struct ResilientRateLimits: RateLimits {
    let shared: any RateLimits
    let local = RateLimiter()
    let logger: Logger

    func take(key: String, perMinute: Int, at now: Int64) async -> Int64 {
        do {
            return try await shared.take(key: key, perMinute: perMinute, at: now)
        } catch {
            logger.warning(
                "rate limits: the database did not answer, this node counts alone",
                metadata: ["error": "\(loggedError(error))"])
            return local.take(key: key, perMinute: perMinute, at: now)
        }
    }
}
