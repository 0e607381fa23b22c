import ChengyunCore
import Foundation
import Testing

/// Hand-computed cases on China's real 2026 calendar, then the clock's laws as property tests.
@Suite struct WorkCalendarTests {
    /// The 2026 arrangement around the National Day and Mid-Autumn holidays, as in the default file.
    static let calendar = WorkCalendar.standard(
        holidays: (1...7).map { LocalDate(year: 2026, month: 10, day: $0) }
            + (25...27).map { LocalDate(year: 2026, month: 9, day: $0) },
        makeUpWorkdays: [LocalDate(year: 2026, month: 9, day: 20), LocalDate(year: 2026, month: 10, day: 10)])

    /// Beijing time (UTC+8) to epoch milliseconds.
    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Int64 {
        Int64(LocalDate(year: year, month: month, day: day).dayNumber) * 86_400_000 + Int64((hour - 8) * 60 + minute)
            * 60_000
    }

    @Test func datesConvertBothWays() {
        #expect(LocalDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(LocalDate(year: 2026, month: 11, day: 22).weekday == 7, "22 Nov 2026 is a Sunday")
        #expect(LocalDate(year: 2026, month: 2, day: 15).weekday == 7)
        #expect(LocalDate("2026-02-30") == nil)
        #expect(LocalDate("2024-02-29")?.dayNumber == LocalDate(year: 2024, month: 3, day: 1).dayNumber - 1)
        for dayNumber in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(LocalDate(dayNumber: dayNumber).dayNumber == dayNumber)
        }
    }

    @Test func withinOneDay() {
        let c = Self.calendar
        // Tue 2026-11-24 09:00 + 2 working hours = 11:00.
        #expect(c.add(Self.at(2026, 11, 24, 9, 0), workingMinutes: 120) == Self.at(2026, 11, 24, 11, 0))
        // 11:00 + 2 h: one hour before lunch, one after (14:00–15:00).
        #expect(c.add(Self.at(2026, 11, 24, 11, 0), workingMinutes: 120) == Self.at(2026, 11, 24, 15, 0))
        // Reported at lunch: the clock starts at 14:00.
        #expect(c.add(Self.at(2026, 11, 24, 12, 30), workingMinutes: 30) == Self.at(2026, 11, 24, 14, 30))
    }

    @Test func overTheWeekend() {
        // Fri 2026-11-27 17:00 + 2 h: 17:00–18:00 Friday, 08:30–09:30 Monday.
        #expect(Self.calendar.add(Self.at(2026, 11, 27, 17, 0), workingMinutes: 120) == Self.at(2026, 11, 30, 9, 30))
        #expect(
            Self.calendar.workingMillis(from: Self.at(2026, 11, 27, 17, 0), to: Self.at(2026, 11, 30, 9, 30))
                == 7_200_000)
    }

    @Test func overTheNationalDayHolidayAndItsMakeUpDays() {
        let c = Self.calendar
        // Wed 2026-09-30 17:00 + 2 h: 1 h that day, then nothing until Thu 8 Oct 08:30.
        #expect(c.add(Self.at(2026, 9, 30, 17, 0), workingMinutes: 120) == Self.at(2026, 10, 8, 9, 30))
        // Fri 9 Oct 17:00 + 2 h: Saturday 10 Oct is a make-up working day.
        #expect(c.add(Self.at(2026, 10, 9, 17, 0), workingMinutes: 120) == Self.at(2026, 10, 10, 9, 30))
        // Sunday 20 Sep works too; Friday 25 Sep (Mid-Autumn) does not.
        #expect(c.isWorkday(LocalDate(year: 2026, month: 9, day: 20)))
        #expect(!c.isWorkday(LocalDate(year: 2026, month: 9, day: 25)))
    }

    @Test func workingDaysAreOrdinaryDaysOfWork() {
        #expect(Self.calendar.minutesPerWorkingDay == 450)
        #expect(TimeLimit(20, .days).workingMinutes(on: Self.calendar) == 9000)
        #expect(TimeLimit(4, .hours).workingMinutes(on: Self.calendar) == 240)
        // Mon 2026-11-23 08:30 + 5 working days = Mon 30 Nov 08:30 → the end of Friday, 18:00.
        #expect(
            Self.calendar.add(Self.at(2026, 11, 23, 8, 30), workingMinutes: 5 * 450) == Self.at(2026, 11, 27, 18, 0))
    }

    @Test func calendarsAreChecked() {
        var broken = WorkCalendar.standard()
        broken.weekPeriods[0] = [WorkPeriod(start: 600, end: 500)]
        #expect(broken.issues().map(\.code).contains("invalid_calendar"))
        #expect(WorkCalendar.standard().issues().isEmpty)
        let idle = WorkCalendar(name: "idle", weekPeriods: Array(repeating: [], count: 7))
        #expect(idle.add(0, workingMinutes: 10) == nil, "a calendar without work never reaches a deadline")
    }

    @Test func calendarRoundTripsAsJSON() throws {
        let data = try JSONEncoder().encode(Self.calendar)
        #expect(String(decoding: data, as: UTF8.self).contains(#""start":"08:30""#))
        #expect(try JSONDecoder().decode(WorkCalendar.self, from: data) == Self.calendar)
    }

    // MARK: Laws, for many random instants and durations across 2025–2026

    static func randomInstant(_ rng: inout SplitMix64) -> Int64 {
        at(2025, 1, 1, 0, 0) + Int64(rng.next() % (730 * 86_400_000))
    }

    @Test func addingThenMeasuringGivesTheDurationBack() {
        var rng = SplitMix64(seed: 30428)
        for _ in 0..<3000 {
            let start = Self.randomInstant(&rng)
            let minutes = Int(rng.next() % 30_000)
            let end = Self.calendar.add(start, workingMinutes: minutes)!
            #expect(
                Self.calendar.workingMillis(from: start, to: end) == Int64(minutes) * 60_000,
                "start \(start) + \(minutes) min")
            #expect(end >= start)
        }
    }

    @Test func addingInTwoStepsEqualsAddingOnce() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<2000 {
            let start = Self.randomInstant(&rng)
            let a = Int(rng.next() % 5000) + 1, b = Int(rng.next() % 5000)
            let once = Self.calendar.add(start, workingMinutes: a + b)
            let twice = Self.calendar.add(Self.calendar.add(start, workingMinutes: a)!, workingMinutes: b)
            #expect(once == twice)
        }
    }

    @Test func workingTimeIsAdditiveAndBoundedByElapsedTime() {
        var rng = SplitMix64(seed: 12345)
        for _ in 0..<2000 {
            let points = [Self.randomInstant(&rng), Self.randomInstant(&rng), Self.randomInstant(&rng)].sorted()
            let c = Self.calendar
            #expect(
                c.workingMillis(from: points[0], to: points[1]) + c.workingMillis(from: points[1], to: points[2])
                    == c.workingMillis(from: points[0], to: points[2]))
            #expect(c.workingMillis(from: points[0], to: points[2]) <= points[2] - points[0])
            #expect(c.workingMillis(from: points[2], to: points[0]) == 0)
        }
    }

    @Test func addIsMonotonic() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<1000 {
            let start = Self.randomInstant(&rng)
            let a = Int(rng.next() % 10_000), b = a + Int(rng.next() % 10_000)
            #expect(Self.calendar.add(start, workingMinutes: a)! <= Self.calendar.add(start, workingMinutes: b)!)
        }
    }
}

@Suite struct StageClockTests {
    let calendar = WorkCalendarTests.calendar
    let at = WorkCalendarTests.at

    @Test func aStageFinishedWithinItsLimitIsOnTime() {
        var clock = StageClock(startedAt: at(2026, 11, 24, 9, 0), limitMinutes: 240)
        #expect(clock.deadline(on: calendar) == at(2026, 11, 24, 15, 0))
        let onTime = clock.finish(at: at(2026, 11, 24, 14, 59), on: calendar)
        #expect(onTime)
        #expect(clock.finishedOnTime == true)
    }

    @Test func suspensionStopsTheClockAndPushesTheDeadline() {
        var clock = StageClock(startedAt: at(2026, 11, 24, 9, 0), limitMinutes: 240)
        clock.suspend(at: at(2026, 11, 24, 10, 0), on: calendar) // 1 h used
        #expect(clock.isSuspended)
        #expect(clock.deadline(on: calendar) == nil)
        #expect(clock.used(at: at(2026, 11, 26, 10, 0), on: calendar) == 3_600_000, "no time passes while suspended")
        clock.resume(at: at(2026, 11, 26, 9, 0)) // 3 h left
        #expect(clock.deadline(on: calendar) == at(2026, 11, 26, 12, 0))
        let onTime = clock.finish(at: at(2026, 11, 26, 14, 30), on: calendar)
        #expect(onTime == false, "3.5 h after resuming is late")
    }

    @Test func anApprovedExtensionAddsToTheLimit() {
        var clock = StageClock(startedAt: at(2026, 11, 24, 9, 0), limitMinutes: 120)
        clock.extend(byMinutes: 60)
        // 09:00 + 3 working hours ends exactly at the lunch break: the deadline is 12:00, not 14:00.
        #expect(clock.deadline(on: calendar) == at(2026, 11, 24, 12, 0))
        let onTime = clock.finish(at: at(2026, 11, 24, 13, 59), on: calendar)
        #expect(onTime)
    }

    @Test func warningLevels() {
        let clock = StageClock(startedAt: at(2026, 11, 24, 9, 0), limitMinutes: 100)
        let level = { (minutes: Int64) in
            ClockLevel(
                fractionUsed: clock.fractionUsed(at: at(2026, 11, 24, 9, 0) + minutes * 60_000, on: calendar),
                warningThreshold: 0.8)
        }
        #expect(level(79) == .normal)
        #expect(level(80) == .yellow)
        #expect(level(100) == .yellow)
        #expect(level(101) == .red)
    }
}
