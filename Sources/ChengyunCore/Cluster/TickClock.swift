/// A scheduled job's ticks: wall-clock time cut into its interval, so every node names the same
/// round by the same number and a round can be claimed once (`job_ticks`), across a failover too.
public struct TickClock: Sendable, Equatable {
    /// The interval in milliseconds (at least 1).
    public var every: Int64

    public init(every: Int64) { self.every = max(1, every) }

    /// The tick `now` falls in.
    public func tick(at now: Int64) -> Int64 { now >= 0 ? now / every : (now - every + 1) / every }

    /// When the tick after `now`'s begins.
    public func nextStart(after now: Int64) -> Int64 { (tick(at: now) + 1) * every }
}
