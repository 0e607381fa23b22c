/// The working-time calendar every case clock runs on (docs/domain.md §5): working periods per weekday,
/// public holidays and make-up working days (调休) per year, in one time zone. It is data, edited
/// by administrators; the default holds China's real 2025 and 2026 arrangements.
///
/// All instants are UTC epoch milliseconds; durations are working milliseconds, so
/// `workingMillis(from: a, to: add(a, d)) == d` holds for every `a` and `d ≥ 0`.
public struct WorkCalendar: Equatable, Sendable {
    public var name: String
    /// The zone's name, shown to people (e.g. Asia/Shanghai).
    public var timeZone: String
    /// The zone's offset from UTC. China keeps one offset all year, so a fixed offset is exact.
    public var utcOffsetMinutes: Int
    /// Working periods for ISO weekdays 1 (Monday) … 7 (Sunday): `weekPeriods[0]` is Monday.
    public var weekPeriods: [[WorkPeriod]]
    /// Days off although their weekday works (public holidays and the days moved around them).
    public var holidays: [LocalDate]
    /// Days that work although their weekday rests (调休上班), on `makeUpPeriods`.
    public var makeUpWorkdays: [LocalDate]
    public var makeUpPeriods: [WorkPeriod]

    private var holidaySet: Set<Int> = []
    private var makeUpSet: Set<Int> = []

    static let dayMillis: Int64 = 86_400_000
    static let minuteMillis: Int64 = 60_000
    /// The furthest a clock looks ahead for working time before it gives up (ten years).
    static let horizonDays = 3660

    public init(
        name: String, timeZone: String = "Asia/Shanghai", utcOffsetMinutes: Int = 480,
        weekPeriods: [[WorkPeriod]], holidays: [LocalDate] = [], makeUpWorkdays: [LocalDate] = [],
        makeUpPeriods: [WorkPeriod]? = nil
    ) {
        self.name = name
        self.timeZone = timeZone
        self.utcOffsetMinutes = utcOffsetMinutes
        self.weekPeriods = weekPeriods
        self.holidays = holidays.sorted()
        self.makeUpWorkdays = makeUpWorkdays.sorted()
        self.makeUpPeriods = makeUpPeriods ?? weekPeriods.first ?? []
        holidaySet = Set(self.holidays.map(\.dayNumber))
        makeUpSet = Set(self.makeUpWorkdays.map(\.dayNumber))
    }

    /// 08:30–12:00 and 14:00–18:00, Monday to Friday.
    public static let standardDay = [WorkPeriod(start: 510, end: 720), WorkPeriod(start: 840, end: 1080)]

    public static func standard(holidays: [LocalDate] = [], makeUpWorkdays: [LocalDate] = []) -> WorkCalendar {
        WorkCalendar(
            name: "standard", weekPeriods: Array(repeating: standardDay, count: 5) + [[], []],
            holidays: holidays, makeUpWorkdays: makeUpWorkdays)
    }

    public static func == (lhs: WorkCalendar, rhs: WorkCalendar) -> Bool {
        lhs.name == rhs.name && lhs.timeZone == rhs.timeZone && lhs.utcOffsetMinutes == rhs.utcOffsetMinutes
            && lhs.weekPeriods == rhs.weekPeriods && lhs.holidays == rhs.holidays
            && lhs.makeUpWorkdays == rhs.makeUpWorkdays && lhs.makeUpPeriods == rhs.makeUpPeriods
    }

    // MARK: Validation

    public func issues() -> [FieldIssue] {
        var validator = Validator()
        validator.check(
            weekPeriods.count == 7, "weekPeriods", "invalid_calendar", "Give periods for the 7 weekdays, Monday first.")
        validator.check(
            (-720...840).contains(utcOffsetMinutes), "utcOffsetMinutes", "invalid_calendar",
            "An offset from -12:00 to +14:00.")
        for (index, periods) in (weekPeriods + [makeUpPeriods]).enumerated() {
            let field = index < weekPeriods.count ? "weekPeriods[\(index)]" : "makeUpPeriods"
            var previousEnd = 0
            for period in periods {
                validator.check(
                    period.start < period.end && period.start >= previousEnd, field, "invalid_calendar",
                    "Periods run forward, in order, without overlapping.")
                previousEnd = period.end
            }
        }
        validator.check(
            weekPeriods.contains { !$0.isEmpty }, "weekPeriods", "invalid_calendar", "At least one day must work.")
        validator.check(
            holidaySet.isDisjoint(with: makeUpSet), "makeUpWorkdays", "invalid_calendar",
            "A day cannot be both a holiday and a make-up working day.")
        return validator.issues
    }

    // MARK: Days

    /// The working periods of a local day.
    public func periods(onDay dayNumber: Int) -> [WorkPeriod] {
        if holidaySet.contains(dayNumber) { return [] }
        if makeUpSet.contains(dayNumber) { return makeUpPeriods }
        let index = LocalDate.weekday(ofDay: dayNumber) - 1
        return index < weekPeriods.count ? weekPeriods[index] : []
    }

    public func isWorkday(_ date: LocalDate) -> Bool { !periods(onDay: date.dayNumber).isEmpty }

    /// Minutes in an ordinary working day: what one "working day" of a time limit means.
    public var minutesPerWorkingDay: Int {
        let days = weekPeriods.filter { !$0.isEmpty }
        return days.first.map { $0.reduce(0) { $0 + $1.minutes } } ?? 0
    }

    var offsetMillis: Int64 { Int64(utcOffsetMinutes) * Self.minuteMillis }

    func localDay(_ instant: Int64) -> (day: Int, millisOfDay: Int64) {
        let local = instant + offsetMillis
        let day = local >= 0 ? local / Self.dayMillis : (local - Self.dayMillis + 1) / Self.dayMillis
        return (Int(day), local - day * Self.dayMillis)
    }

    func instant(day: Int, millisOfDay: Int64) -> Int64 {
        Int64(day) * Self.dayMillis + millisOfDay - offsetMillis
    }

    // MARK: Clock arithmetic

    /// The instant `duration` working milliseconds after `start`. Work that ends exactly at the
    /// end of a period ends there, not at the start of the next one. Nil only if the calendar has
    /// no working time within ten years.
    public func add(_ start: Int64, workingMillis duration: Int64) -> Int64? {
        guard duration > 0 else { return start }
        var remaining = duration
        var (day, from) = localDay(start)
        for _ in 0..<Self.horizonDays {
            for period in periods(onDay: day) {
                let periodStart = Int64(period.start) * Self.minuteMillis,
                    periodEnd = Int64(period.end) * Self.minuteMillis
                let begin = max(periodStart, from)
                guard begin < periodEnd else { continue }
                let available = periodEnd - begin
                if remaining <= available { return instant(day: day, millisOfDay: begin + remaining) }
                remaining -= available
            }
            day += 1
            from = 0
        }
        return nil
    }

    public func add(_ start: Int64, workingMinutes minutes: Int) -> Int64? {
        add(start, workingMillis: Int64(minutes) * Self.minuteMillis)
    }

    /// Working milliseconds between two instants (0 when `end` is not after `start`).
    public func workingMillis(from start: Int64, to end: Int64) -> Int64 {
        guard end > start else { return 0 }
        let (firstDay, startOfFirst) = localDay(start)
        let (lastDay, endOfLast) = localDay(end)
        var total: Int64 = 0
        var day = firstDay
        while day <= lastDay {
            let lower = day == firstDay ? startOfFirst : 0
            let upper = day == lastDay ? endOfLast : Self.dayMillis
            for period in periods(onDay: day) {
                let begin = max(Int64(period.start) * Self.minuteMillis, lower)
                let finish = min(Int64(period.end) * Self.minuteMillis, upper)
                if finish > begin { total += finish - begin }
            }
            day += 1
        }
        return total
    }
}

extension WorkCalendar: Codable {
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, timeZone, utcOffsetMinutes, weekPeriods, holidays, makeUpWorkdays, makeUpPeriods
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name),
            timeZone: try c.decodeIfPresent(String.self, forKey: .timeZone) ?? "Asia/Shanghai",
            utcOffsetMinutes: try c.decodeIfPresent(Int.self, forKey: .utcOffsetMinutes) ?? 480,
            weekPeriods: try c.decode([[WorkPeriod]].self, forKey: .weekPeriods),
            holidays: try c.decodeIfPresent([LocalDate].self, forKey: .holidays) ?? [],
            makeUpWorkdays: try c.decodeIfPresent([LocalDate].self, forKey: .makeUpWorkdays) ?? [],
            makeUpPeriods: try c.decodeIfPresent([WorkPeriod].self, forKey: .makeUpPeriods))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(utcOffsetMinutes, forKey: .utcOffsetMinutes)
        try c.encode(weekPeriods, forKey: .weekPeriods)
        try c.encode(holidays, forKey: .holidays)
        try c.encode(makeUpWorkdays, forKey: .makeUpWorkdays)
        try c.encode(makeUpPeriods, forKey: .makeUpPeriods)
    }
}

extension WorkCalendar {
    /// The local day number an instant falls on.
    public func localDayNumber(_ instant: Int64) -> Int {
        let local = instant + Int64(utcOffsetMinutes) * 60_000
        return Int(local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000)
    }
}
