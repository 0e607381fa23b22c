/// Case numbers (docs/domain.md §3): kind letter, major and minor code, local date, daily sequence —
/// `E0102` + `20260315` + `0007`. The pattern is configurable with the placeholders
/// {kind} {major} {minor} {date} and {seq} (with an optional width, {seq:4}).
public struct CaseNumberPattern: Codable, Equatable, Sendable {
    public var pattern: String

    public static let standard = CaseNumberPattern(pattern: "{kind}{major}{minor}{date}{seq:4}")

    public init(pattern: String) { self.pattern = pattern }

    public func format(kind: CaseKind, major: String, minor: String, date: LocalDate, sequence: Int) -> String {
        var result =
            pattern
            .replacingOccurrences(of: "{kind}", with: kind.letter)
            .replacingOccurrences(of: "{major}", with: major)
            .replacingOccurrences(of: "{minor}", with: minor)
            .replacingOccurrences(of: "{date}", with: String(date.description.filter(\.isNumber)))
        while let open = result.range(of: "{seq") {
            guard let close = result[open.upperBound...].firstIndex(of: "}") else { break }
            let width = Int(result[open.upperBound..<close].dropFirst()) ?? 0
            let digits = String(sequence)
            result.replaceSubrange(
                open.lowerBound...close,
                with: String(repeating: "0", count: max(0, width - digits.count)) + digits)
        }
        return result
    }
}

import Foundation
