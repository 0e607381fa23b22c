/// Number and time parsing straight from bytes, for telemetry lines where every microsecond counts.
public enum FastNumber {
    private static let powers: [Double] = (0...22).map { exponent in (0..<exponent).reduce(1.0) { acc, _ in acc * 10 } }

    /// A decimal number (`-12.5`, `3e2`). Plain decimals of up to 15 significant digits take
    /// Clinger's fast path (an exact integer divided by an exact power of ten: one correctly
    /// rounded operation); anything else goes to the standard library, so results always equal
    /// `Double(String)`.
    public static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var seenDot = false
        var any = false
        while index < count {
            let byte = bytes[index]
            if byte >= 48 && byte <= 57 {
                any = true
                if mantissa == 0 && byte == 48 && !seenDot {
                    index += 1
                    continue
                }
                digits += 1
                if digits > 15 { return slow(bytes) }
                mantissa = mantissa * 10 + UInt64(byte - 48)
                if seenDot { fraction += 1 }
            } else if byte == UInt8(ascii: ".") && !seenDot {
                seenDot = true
            } else {
                return slow(bytes)
            }
            index += 1
        }
        guard any, fraction <= 22 else { return any ? slow(bytes) : nil }
        let value = Double(mantissa) / powers[fraction]
        return negative ? -value : value
    }

    /// A whole number, optionally signed; nil when anything else is in it or it overflows.
    public static func int64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 48 && byte <= 57 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int64(byte - 48))
            if o1 || o2 { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }

    private static func slow(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }
}

/// Instants as readings name them: epoch milliseconds, or ISO 8601 with a time zone
/// (`2026-11-22T08:30:00+08:00`, `2026-11-22T00:30:00.250Z`).
public enum Instant {
    public static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        if let millis = FastNumber.int64(bytes) { return millis }
        // YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]
        guard bytes.count >= 20 else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            var value = 0
            for i in from..<(from + length) {
                let byte = bytes[i]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), bytes[4] == 45, let month = number(5, 2), bytes[7] == 45, let day = number(8, 2),
            bytes[10] == 84 || bytes[10] == 32, let hour = number(11, 2), bytes[13] == 58, let minute = number(14, 2),
            bytes[16] == 58, let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var millis = 0
        if index < bytes.count && bytes[index] == 46 {
            index += 1
            var scale = 100
            while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 {
                millis += Int(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        guard index < bytes.count else { return nil } // a zone is required
        var offsetMinutes = 0
        if bytes[index] == 90 || bytes[index] == 122 {
            index += 1
        } else if bytes[index] == 43 || bytes[index] == 45, index + 6 <= bytes.count, let h = number(index + 1, 2),
            bytes[index + 3] == 58, let m = number(index + 4, 2)
        {
            offsetMinutes = (h * 60 + m) * (bytes[index] == 45 ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = LocalDate(year: year, month: month, day: day).dayNumber
        // A day the month does not have (2026-02-30) comes back as another date.
        guard LocalDate(dayNumber: days) == LocalDate(year: year, month: month, day: day) else { return nil }
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return seconds * 1000 + Int64(millis)
    }
}
