import Foundation

/// The regular expressions NGSI-LD lets a caller write (`idPattern`, `~=`), run against every
/// candidate entity and, in a subscription, inside every alarm's and device's change: at most 200
/// characters and no repeated group (`(a+)+` and its kin backtrack without end), so a pattern's
/// cost stays near linear in the short texts it meets.
public enum ContextPattern {
    public static let maxLength = 200
    public static let rule =
        "A pattern is a regular expression of 1 to 200 characters that repeats no group ((…)*, (…)+, (…){n})."

    public static func isAcceptable(_ pattern: String) -> Bool {
        guard (1...maxLength).contains(pattern.count), !repeatsAGroup(pattern) else { return false }
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

    /// Whether the whole of `text` matches `pattern`.
    public static func wholeMatch(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
