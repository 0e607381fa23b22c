/// Flow control for a grant (流量控制): a fixed one-minute window for the rate and the city's
/// calendar day for the quota. The store counts in the database, so every node of a cluster
/// draws on the same count (a limit that does not drift across nodes).
public struct AccessMeter: Equatable, Sendable {
    /// The minute's start, UTC epoch milliseconds.
    public var minute: Int64
    /// The city's day, as days since 1970-01-01 in its time zone.
    public var day: Int64
    /// Milliseconds until the minute ends, and until the day does.
    public var minuteLeft: Int64
    public var dayLeft: Int64

    static let minuteMillis: Int64 = 60_000
    static let dayMillis: Int64 = 86_400_000

    public init(at now: Int64, utcOffsetMinutes: Int) {
        let local = now + Int64(utcOffsetMinutes) * Self.minuteMillis
        minute = Self.floor(now, Self.minuteMillis) * Self.minuteMillis
        day = Self.floor(local, Self.dayMillis)
        minuteLeft = minute + Self.minuteMillis - now
        dayLeft = (day + 1) * Self.dayMillis - local
    }

    static func floor(_ value: Int64, _ unit: Int64) -> Int64 {
        value >= 0 ? value / unit : (value - unit + 1) / unit
    }
}

/// What the meter said to one request.
public enum AccessOutcome: String, Codable, CaseIterable, Sendable {
    case admitted
    /// The minute's rate is used up.
    case rateLimited = "rate_limited"
    /// The day's quota is used up.
    case quotaExhausted = "quota_exhausted"
}
