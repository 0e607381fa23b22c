import Foundation

/// The regular expressions NGSI-LD lets a caller write (`idPattern`, `~=`), run against every
/// candidate entity and, in a subscription, inside every alarm's and device's change: at most 200
/// characters, no repeated group (`(a+)+` and its kin backtrack without end) and at most 4
/// quantifiers (`.*.*.*…` backtracks polynomially), so a pattern's cost stays small on the short
/// texts it meets.
public enum ContextPattern {
    public static let maxLength = 200
    public static let rule =
        "A pattern is a regular expression of 1 to 200 characters with at most 4 quantifiers (*, +, ?, {n}) that repeats no group ((…)*, (…)+, (…){n})."
    static let maxQuantifiers = 4

    public static func isAcceptable(_ pattern: String) -> Bool {
        guard (1...maxLength).contains(pattern.count), !repeatsAGroup(pattern), quantifiers(pattern) <= maxQuantifiers
        else { return false }
        return (try? NSRegularExpression(pattern: pattern)) != nil
    }

    /// Whether a `)` (not escaped) is followed by `*`, `+` or `{`.
    static func repeatsAGroup(_ pattern: String) -> Bool {
        let chars = Array(pattern)
        var escaped = false
        for (index, c) in chars.enumerated() {
            if escaped {
                escaped = false
                continue
            }
            if c == "\\" {
                escaped = true
            } else if c == ")", index + 1 < chars.count, "*+{".contains(chars[index + 1]) {
                return true
            }
        }
        return false
    }

    /// The quantifiers outside escapes (`(?:` and a lazy `?` count too: a bound, not a parser).
    static func quantifiers(_ pattern: String) -> Int {
        var count = 0
        var escaped = false
        for c in pattern {
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if "*+?{".contains(c) {
                count += 1
            }
        }
        return count
    }

    /// Whether the whole of `text` matches `pattern`.
    public static func wholeMatch(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
