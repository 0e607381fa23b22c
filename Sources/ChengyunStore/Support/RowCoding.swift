import SQLKit
import Synchronization

/// Rows map to Swift structs by snake_case ↔ camelCase; nil is written as NULL so updates clear
/// columns too. The names are converted once and remembered: SQLKit's own strategies convert
/// every key of every row again, which was a tenth of a case step's time.
let rowDecoder = SQLRowDecoder(keyDecodingStrategy: .custom { SnakeCaseKey($0.last?.stringValue ?? "") })
let rowEncoder = SQLQueryEncoder(
    keyEncodingStrategy: .custom { SnakeCaseKey($0.last?.stringValue ?? "") },
    nilEncodingStrategy: .asNil)

/// A coding key spelled as its column: `areaPath` → `area_path`.
struct SnakeCaseKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ key: String) { stringValue = SnakeCaseKey.column(for: key) }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    private static let known = Mutex<[String: String]>([:])

    static func column(for key: String) -> String {
        if let column = known.withLock({ $0[key] }) { return column }
        let column = snakeCased(key)
        known.withLock { $0[key] = column }
        return column
    }

    /// SQLKit's `convertedToSnakeCase` (Foundation's rule): a new word starts at each capital,
    /// a run of capitals is one word, and each word's first letter is lowered.
    static func snakeCased(_ key: String) -> String {
        guard !key.isEmpty else { return key }
        var words: [Range<String.Index>] = []
        var wordStart = key.startIndex, searchIndex = key.index(after: wordStart)
        while let upper = key[searchIndex...].firstIndex(where: \.isUppercase) {
            words.append(wordStart..<upper)
            wordStart = upper
            guard let lower = key[upper...].firstIndex(where: \.isLowercase) else { break }
            searchIndex = lower
            if lower != key.index(after: upper) {
                let beforeLower = key.index(before: lower)
                words.append(upper..<beforeLower)
                wordStart = beforeLower
            }
        }
        words.append(wordStart..<key.endIndex)
        return words.map { range in
            let word = key[range]
            return word.isEmpty ? "" : word.prefix(1).lowercased() + word.dropFirst()
        }.joined(separator: "_")
    }
}

extension SQLPredicateBuilder {
    /// Limits a query to records whose `column` (an area path) lies in the given scope; no scope
    /// means no limit (the platform itself, the CLI).
    func inScope(_ path: String?, column: String = "area_path") -> Self {
        guard let path else { return self }
        return self.where(SQLIdentifier(column), .like, SQLBind(path + "%"))
    }
}

/// The columns whose values differ between two encodings of the same row type, with their new
/// values. An UPDATE that sets only these leaves untouched the indexes over the other columns,
/// which is most of the pages a case step would otherwise write.
func changedColumns<Row: Encodable & Sendable>(_ row: Row, from previous: Row) throws -> [(String, any SQLExpression)] {
    let now = try ColumnValuesEncoder.encode(row), before = try ColumnValuesEncoder.encode(previous)
    guard now.count == before.count else { return now.map { ($0.0, $0.1.expression) } }
    return zip(now, before).filter { new, old in new.0 != old.0 || new.1 != old.1 }.map { ($0.0.0, $0.0.1.expression) }
}
