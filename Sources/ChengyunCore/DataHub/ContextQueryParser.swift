import Foundation

/// Reads the `q` grammar of `ContextQuery` by recursive descent: `|` over `;` over terms and
/// parenthesised groups.
struct ContextQueryParser {
    private let chars: [Character]
    private var index = 0
    private var depth = 0
    /// Groups nest at most this deep: the parser recurses once a level.
    static let maxDepth = 16

    init(_ chars: [Character]) { self.chars = chars }

    var atEnd: Bool { index == chars.count }
    var rest: String { String(chars[index...]) }
    private var peek: Character? { index < chars.count ? chars[index] : nil }
    private var atDots: Bool { index + 1 < chars.count && chars[index] == "." && chars[index + 1] == "." }

    mutating func disjunction() throws -> ContextQuery {
        var parts = [try conjunction()]
        while peek == "|" {
            index += 1
            parts.append(try conjunction())
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private mutating func conjunction() throws -> ContextQuery {
        var parts = [try primary()]
        while peek == ";" {
            index += 1
            parts.append(try primary())
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private mutating func primary() throws -> ContextQuery {
        guard peek == "(" else { return .term(try term()) }
        index += 1
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw ContextQueryError("Groups nest at most \(Self.maxDepth) deep.") }
        let inner = try disjunction()
        guard peek == ")" else { throw ContextQueryError("A \"(\" is not closed.") }
        index += 1
        return inner
    }

    private mutating func name() -> String {
        let start = index
        while let c = peek, c.isLetter || c.isNumber || c == "_" || c == "-" { index += 1 }
        return String(chars[start..<index])
    }

    private mutating func term() throws -> ContextQueryTerm {
        let attribute = name()
        guard !attribute.isEmpty else {
            throw ContextQueryError(
                atEnd ? "The query ends where an attribute was expected." : "Expected an attribute name at \"\(rest)\"."
            )
        }
        if peek == "[" { throw ContextQueryError("Compound attribute paths (attr[sub]) are not supported.") }
        var member: String?
        if peek == "." {
            index += 1
            member = name()
            guard member == "observedAt" else {
                throw ContextQueryError("Of an attribute's members only .observedAt can be queried.")
            }
        }
        guard let operation = readOperation() else {
            return ContextQueryTerm(attribute: attribute, member: member, operation: .exists, operand: nil)
        }
        let operand: ContextQueryTerm.Operand
        switch operation {
        case .pattern, .notPattern: operand = .pattern(try pattern())
        case .equal, .unequal: operand = try equalityOperand()
        default: operand = .value(try scalar())
        }
        return ContextQueryTerm(attribute: attribute, member: member, operation: operation, operand: operand)
    }

    private mutating func readOperation() -> ContextQueryTerm.Operation? {
        for operation: ContextQueryTerm.Operation in [
            .notPattern, .equal, .unequal, .greaterOrEqual, .lessOrEqual, .pattern, .greater, .less,
        ] {
            let symbol = Array(operation.rawValue)
            if index + symbol.count <= chars.count, Array(chars[index..<(index + symbol.count)]) == symbol {
                index += symbol.count
                return operation
            }
        }
        return nil
    }

    private mutating func equalityOperand() throws -> ContextQueryTerm.Operand {
        let first = try scalar()
        if atDots {
            index += 2
            return .range(first, try scalar())
        }
        guard peek == "," else { return .value(first) }
        var values = [first]
        while peek == "," {
            index += 1
            values.append(try scalar())
        }
        return .list(values)
    }

    /// A quoted text, or a bare word read as a boolean, a number, a DateTime or else text.
    private mutating func scalar() throws -> ContextValue {
        if peek == "\"" { return .text(try quoted()) }
        let start = index
        while let c = peek, !";|),\"".contains(c), !atDots { index += 1 }
        let raw = String(chars[start..<index])
        guard let first = raw.first else { throw ContextQueryError("A value is missing at \"\(rest)\".") }
        guard !"=<>!~".contains(first) else {
            throw ContextQueryError("\(raw) is not a value: one operator to a term.")
        }
        if raw == "true" || raw == "false" { return .bool(raw == "true") }
        if let number = Double(raw), number.isFinite { return .number(number) }
        if raw.count >= 20, let time = Instant.parse(raw) { return .time(time) }
        return .text(raw)
    }

    private mutating func quoted() throws -> String {
        index += 1
        var text = ""
        while let c = peek, c != "\"" {
            if c == "\\", index + 1 < chars.count {
                index += 1
            }
            text.append(chars[index])
            index += 1
        }
        guard peek == "\"" else { throw ContextQueryError("A quoted value is not closed.") }
        index += 1
        return text
    }

    /// A regular expression: quoted, or up to the next `;`, `|` or `)`; it must compile.
    private mutating func pattern() throws -> String {
        let text: String
        if peek == "\"" {
            text = try quoted()
        } else {
            let start = index
            while let c = peek, !";|)".contains(c) { index += 1 }
            text = String(chars[start..<index])
        }
        guard ContextPattern.isAcceptable(text) else { throw ContextQueryError(ContextPattern.rule) }
        return text
    }
}
