/// A calendar date in the calendar's own time zone, written "2026-02-15". Day arithmetic uses
/// the days-from-civil algorithm, so no Foundation calendar is involved on hot paths.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// ISO weekday: 1 Monday … 7 Sunday (1970-01-01 was a Thursday).
    public static func weekday(ofDay dayNumber: Int) -> Int {
        ((dayNumber + 3) % 7 + 7) % 7 + 1
    }

    public var weekday: Int { Self.weekday(ofDay: dayNumber) }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
        guard LocalDate(dayNumber: dayNumber) == self else { return nil } // rejects 2026-02-30
    }
}

extension LocalDate: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "Expected a date as YYYY-MM-DD, got \(text)."))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension EpochMillis {
    /// ISO 8601 with the offset, to the second: 2026-11-24T09:00:00+08:00.
    public static func iso8601(_ millis: Int64, utcOffsetMinutes: Int = 480) -> String {
        let local = millis / 1000 + Int64(utcOffsetMinutes) * 60
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = Int(local - day * 86_400)
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let offset = abs(utcOffsetMinutes)
        return "\(LocalDate(dayNumber: Int(day)))T\(pad(seconds / 3600)):\(pad(seconds / 60 % 60)):\(pad(seconds % 60))"
            + (utcOffsetMinutes < 0 ? "-" : "+") + "\(pad(offset / 60)):\(pad(offset % 60))"
    }
}

extension Instant {
    /// "2026-11-23 15:04" on the local clock of `utcOffsetMinutes` (default China, +08:00).
    public static func format(_ instant: Int64, utcOffsetMinutes: Int = 480) -> String {
        let local = instant + Int64(utcOffsetMinutes) * 60_000
        let day: Int64 = 86_400_000
        let dayNumber = local >= 0 ? local / day : (local - day + 1) / day
        let minutes = (local - dayNumber * day) / 60_000
        let two = { (n: Int64) in n < 10 ? "0\(n)" : "\(n)" }
        return "\(LocalDate(dayNumber: Int(dayNumber))) \(two(minutes / 60)):\(two(minutes % 60))"
    }
}
