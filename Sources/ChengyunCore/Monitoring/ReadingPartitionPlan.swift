/// Which day partitions of the raw readings to create and which to drop (PostgreSQL keeps
/// `readings` partitioned by UTC day): the days from today to `daysAhead` on are made ready
/// before readings arrive, and a day wholly before the retention cutoff is rolled up and dropped
/// whole. A day that straddles the cutoff stays; its older rows are rolled up row by row, as are
/// readings that arrived for a day without a partition (they wait in the default partition).
public struct ReadingPartitionPlan: Equatable, Sendable {
    public static let dayMillis: Int64 = 86_400_000

    /// Days since 1970-01-01 (UTC), oldest first.
    public var create: [Int]
    public var drop: [Int]

    public init(create: [Int], drop: [Int]) {
        self.create = create
        self.drop = drop
    }

    public init(existing: Set<Int>, now: Int64, cutoff: Int64, daysAhead: Int) {
        let today = Int(now.floorDiv(Self.dayMillis))
        let wanted = (today...today + max(0, daysAhead)).filter { !Self.isPast($0, cutoff: cutoff) }
        create = wanted.filter { !existing.contains($0) }
        drop = existing.filter { Self.isPast($0, cutoff: cutoff) }.sorted()
    }

    /// The instants a day's partition holds: from its first millisecond up to (not including) the next day's.
    public static func bounds(ofDay day: Int) -> Range<Int64> {
        Int64(day) * dayMillis..<Int64(day + 1) * dayMillis
    }

    /// Every reading of the day is before the cutoff.
    static func isPast(_ day: Int, cutoff: Int64) -> Bool { bounds(ofDay: day).upperBound <= cutoff }
}

extension Int64 {
    /// Division rounding towards minus infinity (days before 1970 are days too).
    func floorDiv(_ divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
