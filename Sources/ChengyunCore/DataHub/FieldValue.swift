import Foundation

/// A record's value in a field, as stored: text (strings, dates, geometry as GeoJSON), a whole
/// number (integers, booleans as 0 or 1, datetimes as epoch milliseconds) or a real number.
public enum FieldValue: Equatable, Sendable {
    case null
    case text(String)
    case integer(Int64)
    case number(Double)

    /// Reads a field's value from text in its canonical form, or says why it cannot.
    public static func parse(_ text: String?, as type: FieldType) -> Result<FieldValue, CleaningRefusal.Reason> {
        guard let text, !text.isEmpty else { return .success(.null) }
        // A NUL character is text no PostgreSQL column holds: the value is refused, not the load.
        guard !text.utf8.contains(0) else { return .failure(.malformed) }
        switch type {
        case .string:
            return .success(.text(text))
        case .integer:
            return Int64(text).map { .success(.integer($0)) } ?? .failure(.notInteger)
        case .number, .lon, .lat:
            guard let value = Double(text), value.isFinite else { return .failure(.notNumber) }
            if type == .lon, !(-180...180).contains(value) { return .failure(.outOfRange) }
            if type == .lat, !(-90...90).contains(value) { return .failure(.outOfRange) }
            return .success(.number(value))
        case .boolean:
            switch text.lowercased() {
            case "true", "1", "yes", "y", "是": return .success(.integer(1))
            case "false", "0", "no", "n", "否": return .success(.integer(0))
            default: return .failure(.notBoolean)
            }
        case .date:
            guard let date = TemporalText.isoDate(text) else { return .failure(.notDate) }
            return .success(.text(date))
        case .datetime:
            return Instant.parse(text).map { .success(.integer($0)) } ?? .failure(.notDate)
        case .geometry:
            guard let data = text.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let kind = object["type"] as? String, Self.geometryTypes.contains(kind)
            else { return .failure(.notGeometry) }
            return .success(.text(text))
        }
    }

    static let geometryTypes: Set<String> = [
        "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection",
    ]

    /// The value as text (CSV cells, record keys).
    public var text: String? {
        switch self {
        case .null: nil
        case .text(let text): text
        case .integer(let value): String(value)
        case .number(let value): String(value)
        }
    }
}

/// Dates and times written the ways Chinese sources write them, to ISO 8601.
enum TemporalText {
    static let chinaOffset = "+08:00"

    /// A date alone, `YYYY-MM-DD`, when the text is one (a real calendar day).
    static func isoDate(_ text: String) -> String? {
        guard text.utf8.count == 10, let parts = digitGroups(text)?.values, parts.count == 3,
            isCalendarDate(parts[0], parts[1], parts[2])
        else { return nil }
        return stamp(parts)
    }

    /// `2026/12/5`, `2026年12月5日`, `2026.12.05 8:30`, `20261205`, `20261205083000`, ISO 8601:
    /// a date as `YYYY-MM-DD` (`dateOnly`) or an instant as `YYYY-MM-DDTHH:MM:SS+08:00`.
    static func normalised(_ text: String, dateOnly: Bool) -> String? {
        // ISO 8601 with a zone as it is; digits alone are a compact date, never epoch milliseconds.
        if !dateOnly, text.utf8.contains(where: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "T") }),
            Instant.parse(text) != nil
        {
            return text
        }
        guard let groups = digitGroups(text) else { return nil }
        var parts = groups.values
        if parts.count == 1 {
            let digits = groups.firstDigits
            guard digits.count == 8 || digits.count == 14 else { return nil }
            let number = { (from: Int, length: Int) in
                digits[from..<(from + length)].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            }
            parts = [number(0, 4), number(4, 2), number(6, 2)]
            if digits.count == 14 { parts += [number(8, 2), number(10, 2), number(12, 2)] }
        }
        guard (3...6).contains(parts.count), isCalendarDate(parts[0], parts[1], parts[2]) else { return nil }
        if dateOnly { return parts.count == 3 ? stamp(parts) : nil }
        let (hour, minute, second) = (
            parts.count > 3 ? parts[3] : 0, parts.count > 4 ? parts[4] : 0, parts.count > 5 ? parts[5] : 0
        )
        guard hour < 24, minute < 60, second < 60 else { return nil }
        return stamp([parts[0], parts[1], parts[2], hour, minute, second])
    }

    /// `YYYY-MM-DDTHH:MM:SS+08:00` from six parts, `YYYY-MM-DD` from three, written in one buffer:
    /// a load writes one for every row.
    private static func stamp(_ parts: [Int]) -> String {
        let layout: [(width: Int, after: String)] = [
            (4, "-"), (2, "-"), (2, "T"), (2, ":"), (2, ":"), (2, chinaOffset),
        ]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(25)
        for (index, (part, (width, after))) in zip(parts, layout).enumerated() {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(part / divisor % 10))
                divisor /= 10
            }
            if index < parts.count - 1 || parts.count == layout.count { bytes.append(contentsOf: after.utf8) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The separators dates are written with, between runs of ASCII digits.
    private static let separators = Set("-/.年月日 :T时分秒".unicodeScalars.map(\.value))

    /// The runs of ASCII digits as numbers (nil when any other character than a separator
    /// appears, or a run is too long to be a part of a date), and the first run's digits.
    private static func digitGroups(_ text: String) -> (values: [Int], firstDigits: [UInt8])? {
        var values: [Int] = []
        var first: [UInt8] = []
        var current = 0
        var length = 0
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x30 && scalar.value <= 0x39 {
                guard length < 18 else { return nil }
                current = current * 10 + Int(scalar.value - 0x30)
                length += 1
                if values.isEmpty { first.append(UInt8(scalar.value)) }
            } else {
                guard separators.contains(scalar.value) else { return nil }
                if length > 0 { values.append(current) }
                (current, length) = (0, 0)
            }
        }
        if length > 0 { values.append(current) }
        return values.isEmpty ? nil : (values, first)
    }

    private static func isCalendarDate(_ year: Int, _ month: Int, _ day: Int) -> Bool {
        guard (1000...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return false }
        let date = LocalDate(year: year, month: month, day: day)
        return LocalDate(dayNumber: date.dayNumber) == date
    }
}
