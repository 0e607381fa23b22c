import ChengyunCore
import Testing

/// The cockpit's "alarms per hour" buckets: local clock hours, the last 24, every one present.
@Suite struct HourCountTests {
    static let hour = CockpitSummary.hour

    @Test func hoursStartOnTheLocalClock() {
        let shanghai: Int64 = 8 * 3_600_000, kolkata: Int64 = 330 * 60_000
        // 10:20 in Shanghai starts at 10:00; 10:20 in Kolkata (+05:30) starts at 10:00 Kolkata = 04:30 UTC.
        #expect(
            CockpitSummary.hourStart(Instant.parse("2026-11-23T10:20:00+08:00")!, utcOffsetMillis: shanghai)
                == Instant.parse("2026-11-23T10:00:00+08:00")!)
        #expect(
            CockpitSummary.hourStart(Instant.parse("2026-11-23T10:20:00+05:30")!, utcOffsetMillis: kolkata)
                == Instant.parse("2026-11-23T04:30:00Z")!)
        // Before 1970 the remainder is negative; the start is still at or before the instant.
        #expect(CockpitSummary.hourStart(-1, utcOffsetMillis: 0) == -Self.hour)
    }

    @Test(arguments: [0, 8 * 3_600_000, 330 * 60_000, -5 * 3_600_000] as [Int64])
    func everyInstantLiesInItsHour(offset: Int64) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let instant = Int64.random(in: 0...4_000_000_000_000, using: &generator)
            let start = CockpitSummary.hourStart(instant, utcOffsetMillis: offset)
            #expect(start <= instant && instant < start + Self.hour && (start + offset) % Self.hour == 0)
        }
    }

    @Test func theLastDayIsDenseAndEndsWithTheCurrentHour() {
        let now = Instant.parse("2026-11-23T10:20:00+08:00")!, offset: Int64 = 8 * 3_600_000
        let ten = Instant.parse("2026-11-23T10:00:00+08:00")!
        let hours = CockpitSummary.lastDay(
            at: now, utcOffsetMillis: offset,
            counts: [
                (hour: ten, severity: "red", count: 2), (hour: ten - Self.hour, severity: "blue", count: 1),
                (hour: ten - 24 * Self.hour, severity: "red", count: 9), // a day ago: outside
            ])
        #expect(hours.map(\.hour) == (0..<24).map { ten - Int64(23 - $0) * Self.hour })
        #expect(hours.last?.bySeverity == ["red": 2] && hours[22].bySeverity == ["blue": 1])
        #expect(hours.dropLast(2).allSatisfy { $0.bySeverity.isEmpty })
    }
}
