/// A scheduled HTTP pull (定时拉取): a dataset's owner names a URL answering CSV or JSON and how
/// often to fetch it; each fetch asks conditionally (the last ETag and Last-Modified), and a body
/// that has not changed makes no new version.
public enum PullSchedule {
    /// Minutes between pulls: from a quarter of an hour to a week.
    public static let intervals = 15...10_080

    /// When to pull next after an attempt at `at`: the interval after a success (a load, or
    /// nothing new); after the `failures`-th failure in a row 1 minute, doubling, never longer
    /// than the interval.
    public static func next(after at: Int64, intervalMinutes: Int, failures: Int) -> Int64 {
        let interval = Int64(intervalMinutes) * 60_000
        guard failures > 0 else { return at + interval }
        let backoff = Int64(60_000) << Int64(min(failures - 1, 20))
        return at + min(backoff, interval)
    }
}

/// What a pull came to.
public enum PullOutcome: String, Codable, CaseIterable, Sendable {
    /// A new version was loaded.
    case loaded
    /// The server answered 304 Not Modified.
    case notModified = "not_modified"
    /// The body was the same as last time's (no validators, or they changed without the data).
    case unchanged
    /// No answer, an answer other than 200 or 304, or a body the load refused; the next try backs off.
    case failed
}
