/// A rate limit as a token bucket: `capacity` requests at once, refilled evenly at `perMinute`.
/// Pure arithmetic on the caller's clock, so it is tested without waiting.
public struct TokenBucket: Equatable, Sendable {
    public let perMinute: Int
    public let capacity: Double
    public private(set) var tokens: Double
    public private(set) var updatedAt: Int64

    public init(perMinute: Int, at now: Int64) {
        self.perMinute = max(1, perMinute)
        capacity = Double(self.perMinute)
        tokens = capacity
        updatedAt = now
    }

    /// A bucket as stored: `tokens` left at `updatedAt` (clamped to the capacity).
    public init(perMinute: Int, tokens: Double, updatedAt: Int64) {
        self.init(perMinute: perMinute, at: updatedAt)
        self.tokens = min(capacity, max(0, tokens))
    }

    /// Takes one token if there is one; otherwise says how many milliseconds until there is.
    public mutating func take(at now: Int64) -> (allowed: Bool, retryAfterMillis: Int64) {
        let elapsed = Double(max(0, now - updatedAt))
        tokens = min(capacity, tokens + elapsed * Double(perMinute) / 60_000)
        updatedAt = max(updatedAt, now)
        if tokens >= 1 {
            tokens -= 1
            return (true, 0)
        }
        return (false, Int64(((1 - tokens) * 60_000 / Double(perMinute)).rounded(.up)))
    }
}
