import ChengyunCore
import ChengyunStore
import Hummingbird

/// Token-bucket limits on the routes anyone can call — logins, registration, reports without an
/// account, Open311 submissions — per calling address and, for logins, per account, so
/// neither one address nor a botnet aimed at one account gets unbounded attempts (or bcrypt work).
struct Throttle: Sendable {
    let limiter: any RateLimits
    let now: @Sendable () -> Int64

    /// Takes one token from each named bucket in turn (the caller's address first); a 429 problem
    /// with `Retry-After` at the first that is empty, the later ones untouched (so a caller already
    /// refused cannot make up keys to fill the table with).
    func check(_ buckets: [(key: String, perMinute: Int)]) async throws {
        let at = now()
        for bucket in buckets {
            let retry = try await limiter.take(key: bucket.key, perMinute: bucket.perMinute, at: at)
            if retry > 0 { throw Problem.tooManyRequests(retryAfterMillis: retry) }
        }
    }
}

extension AppRequestContext {
    /// The calling address without its port: the caller behind a trusted proxy, else the peer
    /// ("unknown" when the channel has none, as in tests).
    var clientAddress: String { forwardedClient ?? remoteAddress?.ipAddress ?? "unknown" }
}

extension Problem {
    static func tooManyRequests(retryAfterMillis: Int64) -> Problem {
        var problem = Problem(
            status: .tooManyRequests, code: "rate_limited",
            detail: "Too many requests; try again after the time in Retry-After.")
        problem.retryAfterSeconds = Int((retryAfterMillis + 999) / 1000)
        return problem
    }
}
