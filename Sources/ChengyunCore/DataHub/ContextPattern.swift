import Foundation
import Synchronization

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
        guard let regex = compiled(pattern) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Whether `pattern` matches somewhere in `text` (`q`'s `~=`).
    public static func found(_ pattern: String, in text: String) -> Bool {
        guard let regex = compiled(pattern, whole: false) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// A pattern compiled once and kept: a query tries it on every candidate and a subscription on
    /// every change, where compiling it each time cost more than matching. At most `cacheSize`
    /// patterns are kept; past that the cache starts again (patterns are few: a city's
    /// subscriptions and the queries of the moment). NSRegularExpression is immutable and safe to
    /// share between threads.
    static func compiled(_ pattern: String, whole: Bool = true) -> NSRegularExpression? {
        let key = (whole ? "^" : "~") + pattern
        if let regex = cache.withLock({ $0[key] }) { return regex.value }
        let regex = try? NSRegularExpression(pattern: whole ? "^(?:\(pattern))$" : pattern)
        cache.withLock {
            if $0.count >= cacheSize { $0.removeAll(keepingCapacity: true) }
            $0[key] = Compiled(value: regex)
        }
        return regex
    }

    static let cacheSize = 512
    private struct Compiled: @unchecked Sendable { let value: NSRegularExpression? }
    private static let cache = Mutex<[String: Compiled]>([:])
}
