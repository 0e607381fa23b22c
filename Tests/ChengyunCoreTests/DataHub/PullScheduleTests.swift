import ChengyunCore
import Testing

/// When a scheduled pull runs next, worked out by hand.
@Suite struct PullScheduleTests {
    @Test func theIntervalAfterASuccessAndABackoffAfterFailures() {
        let at: Int64 = 1_000_000
        #expect(PullSchedule.next(after: at, intervalMinutes: 60, failures: 0) == at + 3_600_000)
        // 1, 2, 4, 8, 16, 32 minutes, then the hour's interval caps it.
        let waits = (1...8).map { PullSchedule.next(after: at, intervalMinutes: 60, failures: $0) - at }
        #expect(waits == [1, 2, 4, 8, 16, 32, 60, 60].map { Int64($0) * 60_000 })
        #expect(PullSchedule.next(after: at, intervalMinutes: 10_080, failures: 100) == at + 10_080 * 60_000)
        #expect(PullSchedule.intervals.contains(15) && !PullSchedule.intervals.contains(14))
    }

    /// For every interval and run of failures, the wait is at least a minute and at most the interval.
    @Test func theWaitStaysWithinAMinuteAndTheInterval() {
        for interval in stride(from: 15, through: 10_080, by: 45) {
            for failures in 0...40 {
                let wait = PullSchedule.next(after: 0, intervalMinutes: interval, failures: failures)
                #expect(wait >= 60_000 && wait <= Int64(interval) * 60_000)
            }
        }
    }
}
