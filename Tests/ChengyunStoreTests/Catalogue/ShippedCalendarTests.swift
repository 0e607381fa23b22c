import ChengyunCore
import ChengyunStore
import Testing

/// The shipped work calendar (`Resources/default-calendar.json`, as `CalendarRepository.defaultCalendar()`
/// loads it) against the State Council General Office's holiday notices, day by day: every day off
/// (放假) and every make-up working day (调休上班) of 2025 and 2026 is written out by hand below.
@Suite struct ShippedCalendarTests {
    struct Notice: Sendable, CustomTestStringConvertible {
        let year: Int
        let number: String
        /// Every day off, weekends inside a holiday included, in order.
        let holidays: [String]
        /// Every weekend day that works, in order.
        let makeUpWorkdays: [String]

        var testDescription: String { "\(year) (\(number))" }
    }

    /// 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号 (2024-11-12).
    static let notice2025 = Notice(
        year: 2025, number: "国办发明电〔2024〕12号",
        holidays: [
            "2025-01-01", // 元旦, 1 day, no make-up day
            "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", // 春节, 除夕 to 正月初七, 8 days
            "2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04",
            "2025-04-04", "2025-04-05", "2025-04-06", // 清明节, 3 days
            "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05", // 劳动节, 5 days
            "2025-05-31", "2025-06-01", "2025-06-02", // 端午节, 3 days
            "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", // 国庆节、中秋节, 8 days
            "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
        ],
        makeUpWorkdays: [
            "2025-01-26", "2025-02-08", // 春节: Sun, Sat
            "2025-04-27", // 劳动节: Sun
            "2025-09-28", "2025-10-11", // 国庆节、中秋节: Sun, Sat
        ])

    /// 国务院办公厅关于2026年部分节假日安排的通知, 国办发明电〔2025〕7号 (2025-11-04).
    static let notice2026 = Notice(
        year: 2026, number: "国办发明电〔2025〕7号",
        holidays: [
            "2026-01-01", "2026-01-02", "2026-01-03", // 元旦, 3 days
            "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", // 春节, 腊月二十八 to 正月初七, 9 days
            "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
            "2026-04-04", "2026-04-05", "2026-04-06", // 清明节, 3 days
            "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", // 劳动节, 5 days
            "2026-06-19", "2026-06-20", "2026-06-21", // 端午节, 3 days
            "2026-09-25", "2026-09-26", "2026-09-27", // 中秋节, 3 days
            "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", // 国庆节, 7 days
            "2026-10-05", "2026-10-06", "2026-10-07",
        ],
        makeUpWorkdays: [
            "2026-01-04", // 元旦: Sun
            "2026-02-14", "2026-02-28", // 春节: Sat, Sat
            "2026-05-09", // 劳动节: Sat
            "2026-09-20", "2026-10-10", // 国庆节: Sun, Sat
        ])

    static let notices = [notice2025, notice2026]

    static func shipped() throws -> WorkCalendar { try CalendarRepository.defaultCalendar() }

    static func dates(_ texts: [String]) throws -> [LocalDate] {
        var dates: [LocalDate] = []
        for text in texts { dates.append(try #require(LocalDate(text), "\(text) is a real date")) }
        return dates
    }

    /// Beijing time (UTC+8) to epoch milliseconds.
    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Int64 {
        Int64(LocalDate(year: year, month: month, day: day).dayNumber) * 86_400_000 + Int64((hour - 8) * 60 + minute)
            * 60_000
    }

    @Test(arguments: ShippedCalendarTests.notices) func theHandWrittenListsAddUpToTheNotice(notice: Notice) throws {
        // Day counts as the notices state them: 2025 1+8+3+5+3+8, 2026 3+9+3+5+3+3+7.
        #expect(notice.holidays.count == (notice.year == 2025 ? 28 : 33))
        #expect(notice.makeUpWorkdays.count == (notice.year == 2025 ? 5 : 6))
        let holidays = try Self.dates(notice.holidays), makeUps = try Self.dates(notice.makeUpWorkdays)
        #expect(holidays == holidays.sorted() && Set(holidays).count == holidays.count, "in order, no repeats")
        #expect(makeUps == makeUps.sorted() && Set(makeUps).count == makeUps.count, "in order, no repeats")
        #expect(Set(holidays).isDisjoint(with: makeUps))
        for date in holidays + makeUps { #expect(date.year == notice.year, "\(date)") }
        for date in makeUps { #expect(date.weekday >= 6, "\(date) is a Saturday or Sunday") }
    }

    @Test(arguments: ShippedCalendarTests.notices) func everyListedHolidayIsADayOff(notice: Notice) throws {
        let calendar = try Self.shipped()
        for date in try Self.dates(notice.holidays) {
            #expect(calendar.holidays.contains(date), "\(date) is listed as a holiday")
            #expect(!calendar.isWorkday(date), "\(date) is off")
            #expect(calendar.periods(onDay: date.dayNumber).isEmpty, "\(date) has no working period")
        }
    }

    @Test(arguments: ShippedCalendarTests.notices) func everyListedMakeUpDayWorksAFullDay(notice: Notice) throws {
        let calendar = try Self.shipped()
        for date in try Self.dates(notice.makeUpWorkdays) {
            #expect(calendar.makeUpWorkdays.contains(date), "\(date) is listed as a make-up working day")
            #expect(calendar.isWorkday(date), "\(date) works")
            #expect(
                calendar.periods(onDay: date.dayNumber) == WorkCalendar.standardDay,
                "\(date) works 08:30–12:00, 14:00–18:00")
        }
    }

    @Test(arguments: ShippedCalendarTests.notices) func theCalendarHasNoOtherSpecialDaysThatYear(notice: Notice) throws
    {
        let calendar = try Self.shipped()
        let holidays = calendar.holidays.filter { $0.year == notice.year }.map(\.description)
        let makeUpWorkdays = calendar.makeUpWorkdays.filter { $0.year == notice.year }.map(\.description)
        #expect(holidays == notice.holidays)
        #expect(makeUpWorkdays == notice.makeUpWorkdays)
        // Day by day through the year: listed holidays off, listed make-up days on, every other day by its weekday.
        let off = try Set(Self.dates(notice.holidays)), on = try Set(Self.dates(notice.makeUpWorkdays))
        let first = LocalDate(year: notice.year, month: 1, day: 1).dayNumber
        let last = LocalDate(year: notice.year, month: 12, day: 31).dayNumber
        var workdays = 0
        for dayNumber in first...last {
            let date = LocalDate(dayNumber: dayNumber)
            let works = on.contains(date) || (!off.contains(date) && date.weekday <= 5)
            let expected: [WorkPeriod] = works ? WorkCalendar.standardDay : []
            #expect(calendar.periods(onDay: dayNumber) == expected, "\(date)")
            if calendar.isWorkday(date) { workdays += 1 }
        }
        // 2025: 261 weekdays − 18 holidays on a weekday + 5 make-up days; 2026: 261 − 19 + 6.
        #expect(workdays == 248)
    }

    @Test func ordinaryDaysStayOrdinary() throws {
        let calendar = try Self.shipped()
        #expect(calendar.weekPeriods == Array(repeating: WorkCalendar.standardDay, count: 5) + [[], []])
        #expect(calendar.makeUpPeriods == WorkCalendar.standardDay)
        #expect(calendar.issues().isEmpty)
        // Weekdays next to a holiday, and the last day of 2026.
        for text in [
            "2025-01-02", "2025-02-05", "2025-06-03", "2025-10-09",
            "2026-01-05", "2026-02-13", "2026-02-24", "2026-10-08", "2026-12-31",
        ] {
            let date = try #require(LocalDate(text))
            #expect(date.weekday <= 5, "\(text) is a weekday")
            #expect(calendar.periods(onDay: date.dayNumber) == WorkCalendar.standardDay, "\(text) works as usual")
        }
        // Weekends next to a make-up day or a holiday that stay off.
        for text in ["2025-01-25", "2025-02-09", "2025-10-12", "2026-01-10", "2026-02-07", "2026-10-11"] {
            let date = try #require(LocalDate(text))
            #expect(date.weekday >= 6, "\(text) is a weekend day")
            #expect(!calendar.isWorkday(date), "\(text) stays off")
        }
    }

    @Test func theClockRunsOnTheShippedArrangements() throws {
        let calendar = try Self.shipped()
        // Fri 2026-02-13 17:00 + 2 working hours: Sat 14 Feb is a make-up working day.
        #expect(calendar.add(Self.at(2026, 2, 13, 17, 0), workingMinutes: 120) == Self.at(2026, 2, 14, 9, 30))
        // Sat 14 Feb 17:00 + 2 h: 15–23 Feb are off, so work resumes Tue 24 Feb.
        #expect(calendar.add(Self.at(2026, 2, 14, 17, 0), workingMinutes: 120) == Self.at(2026, 2, 24, 9, 30))
        // Tue 2025-09-30 17:00 + 2 h: 1–8 Oct 2025 are off, so work resumes Thu 9 Oct.
        #expect(calendar.add(Self.at(2025, 9, 30, 17, 0), workingMinutes: 120) == Self.at(2025, 10, 9, 9, 30))
        #expect(calendar.workingMillis(from: Self.at(2025, 9, 30, 18, 0), to: Self.at(2025, 10, 9, 8, 30)) == 0)
    }
}
