/// What the hourly retention round does to the partitions of the raw readings (PostgreSQL keeps
/// `readings` partitioned by time): the coming days get partitions of their own before their
/// readings arrive — only days after today, so no partition is made for a day whose readings
/// may already be waiting in the default partition — and a partition wholly before the
/// retention cutoff is detached, rolled up and dropped whole. A partition that straddles the
/// cutoff keeps its readings raw until all of it is past (raw readings live up to a day longer
/// than the setting); the default partition's readings are rolled up row by row.
public struct ReadingPartitionPlan: Equatable, Sendable {
    public static let dayMillis: Int64 = 86_400_000

    /// Days since 1970-01-01 (UTC) to make partitions for, oldest first.
    public var create: [Int]
    /// Partitions (by name) to detach, roll up and drop, oldest first.
    public var drop: [String]

    public init(create: [Int], drop: [String]) {
        self.create = create
        self.drop = drop
    }

    /// `existing`: the attached partitions with their ranges (the default partition has none and
    /// is not among them).
    public init(existing: [String: Range<Int64>], now: Int64, cutoff: Int64, daysAhead: Int) {
        let today = Self.day(of: now)
        create = (today + 1..<today + 1 + max(0, daysAhead)).filter { day in
            let bounds = Self.bounds(ofDay: day)
            return bounds.upperBound > cutoff && !existing.values.contains { $0.overlaps(bounds) }
        }
        drop = existing.filter { $0.value.upperBound <= cutoff }.sorted { $0.value.lowerBound < $1.value.lowerBound }
            .map(\.key)
    }

    /// The instants a day's partition holds: from its first millisecond up to (not including) the next day's.
    public static func bounds(ofDay day: Int) -> Range<Int64> {
        Int64(day) * dayMillis..<Int64(day + 1) * dayMillis
    }

    /// The UTC day an instant falls in (days before 1970 are days too).
    public static func day(of instant: Int64) -> Int {
        Int(instant / dayMillis - (instant % dayMillis < 0 ? 1 : 0))
    }
}
