import Foundation

/// NGSI-LD's query language (`q`, ETSI GS CIM 009 §4.9), the subset the door answers: terms
/// `attr`, `attr==v`, `!=`, `>`, `>=`, `<`, `<=`, `attr~=regex`, `attr!~=regex`; values numbers,
/// `"quoted text"` (bare words too), `true`/`false`, DateTimes, ranges `a..b` and lists `a,b,c` on
/// `==` and `!=`; `;` (and, binding tighter) and `|` (or) with parentheses; `attr.observedAt` for
/// when a value was observed. Compound paths (`attr[sub]`) are refused, not guessed at.
public indirect enum ContextQuery: Sendable, Equatable {
    case and([ContextQuery])
    case or([ContextQuery])
    case term(ContextQueryTerm)

    /// At most this long: a query is parsed and run for every candidate entity.
    public static let maxLength = 1000

    public static func parse(_ text: String) throws -> ContextQuery {
        guard text.count <= maxLength else { throw ContextQueryError("A query is at most \(maxLength) characters.") }
        var parser = ContextQueryParser(Array(text))
        let query = try parser.disjunction()
        guard parser.atEnd else { throw ContextQueryError("Unexpected \"\(parser.rest)\" in the query.") }
        return query
    }

    public func matches(_ entity: ContextEntity) -> Bool {
        switch self {
        case .and(let parts): parts.allSatisfy { $0.matches(entity) }
        case .or(let parts): parts.contains { $0.matches(entity) }
        case .term(let term): term.matches(entity)
        }
    }

    /// The attributes the query reads.
    public var attributeNames: Set<String> {
        switch self {
        case .and(let parts), .or(let parts): parts.reduce(into: []) { $0.formUnion($1.attributeNames) }
        case .term(let term): [term.attribute]
        }
    }
}

public struct ContextQueryError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

public struct ContextQueryTerm: Sendable, Equatable {
    public enum Operation: String, Sendable {
        case exists = "", equal = "==", unequal = "!=", greater = ">", greaterOrEqual = ">=", less = "<"
        case lessOrEqual = "<=", pattern = "~=", notPattern = "!~="
    }

    public enum Operand: Sendable, Equatable {
        case value(ContextValue)
        case range(ContextValue, ContextValue)
        case list([ContextValue])
        case pattern(String)
    }

    public var attribute: String
    /// `observedAt` for `attr.observedAt`.
    public var member: String?
    public var operation: Operation
    public var operand: Operand?

    func matches(_ entity: ContextEntity) -> Bool {
        guard let attribute = entity.attribute(attribute) else { return false }
        let value: ContextValue
        if member == "observedAt" {
            guard let at = attribute.observedAt else { return false }
            value = .time(at)
        } else {
            value = attribute.value
        }
        switch (operation, operand) {
        case (.exists, _): return true
        case (.equal, .value(let other)?): return Self.compare(value, other).map { $0 == 0 } ?? false
        case (.equal, .list(let others)?): return others.contains { Self.compare(value, $0) == 0 }
        case (.equal, .range(let low, let high)?):
            return (Self.compare(value, low) ?? -1) >= 0 && (Self.compare(value, high) ?? 1) <= 0
        case (.unequal, _):
            var equal = self
            equal.operation = .equal
            return !equal.matches(entity)
        case (.greater, .value(let other)?): return (Self.compare(value, other) ?? 0) > 0
        case (.greaterOrEqual, .value(let other)?): return (Self.compare(value, other) ?? -1) >= 0
        case (.less, .value(let other)?): return (Self.compare(value, other) ?? 0) < 0
        case (.lessOrEqual, .value(let other)?): return (Self.compare(value, other) ?? 1) <= 0
        case (.pattern, .pattern(let pattern)?), (.notPattern, .pattern(let pattern)?):
            let found = Self.texts(value).contains { ContextPattern.found(pattern, in: $0) }
            return found == (operation == .pattern)
        default: return false
        }
    }

    /// Comparable values of one kind: numbers, texts, times (a time against its ISO text too),
    /// booleans for equality; a list holds a value when one of its texts is it. Nil otherwise.
    static func compare(_ left: ContextValue, _ right: ContextValue) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (left, right) {
        case (.number(let a), .number(let b)): return order(a, b)
        case (.text(let a), .text(let b)): return order(a, b)
        case (.time(let a), .time(let b)): return order(a, b)
        case (.time(let a), .text(let b)): return Instant.parse(b).map { order(a, $0) }
        case (.bool(let a), .bool(let b)): return a == b ? 0 : nil
        case (.texts(let a), .text(let b)): return a.contains(b) ? 0 : nil
        default: return nil
        }
    }

    static func texts(_ value: ContextValue) -> [String] {
        switch value {
        case .text(let text): [text]
        case .texts(let texts): texts
        default: []
        }
    }
}
