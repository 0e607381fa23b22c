/// The tree a formula is read into. Every node keeps the offset of its source, for errors met
/// while working it out.
indirect enum FormulaNode: Equatable, Sendable {
    case number(Double)
    case name(String, at: Int)
    /// The values of the indicator's children, allowed only as an argument of an aggregate.
    case children(at: Int)
    case negate(FormulaNode)
    case not(FormulaNode)
    case binary(String, FormulaNode, FormulaNode, at: Int)
    case call(String, [FormulaNode], at: Int)
}

/// Reads formulas by recursive descent. Precedence, loosest first: `or`/`||`, `and`/`&&`,
/// `not`/`!`, comparisons (`< <= > >= == !=`, not chained), `+ -`, `* / %`, unary `-`, `^`
/// (right-associative), then numbers, names, calls and brackets.
struct FormulaParser {
    /// Functions and how many arguments each takes (nil: one or more).
    static let functions: [String: ClosedRange<Int>?] = [
        "min": nil, "max": nil, "sum": nil, "avg": nil, "count": nil, "coalesce": nil,
        "abs": 1...1, "round": 1...2, "if": 3...3,
    ]
    static let aggregates: Set<String> = ["min", "max", "sum", "avg", "count"]
    static let maxLength = 2_000
    static let maxDepth = 48

    let source: [Character]
    var tokens: [FormulaToken]
    var position = 0
    var depth = 0

    init(_ text: String) throws(FormulaError) {
        source = Array(text)
        guard source.count <= Self.maxLength else {
            throw FormulaError(
                "too_long", "A formula has at most \(Self.maxLength) characters.", at: Self.maxLength, in: source)
        }
        tokens = try FormulaLexer.tokens(source)
    }

    mutating func parse() throws(FormulaError) -> FormulaNode {
        let node = try expression()
        guard case .end = current.kind else { throw unexpected(current) }
        return node
    }

    private var current: FormulaToken { tokens[position] }

    private func error(_ code: String, _ message: String, at offset: Int) -> FormulaError {
        FormulaError(code, message, at: offset, in: source)
    }

    private func unexpected(_ token: FormulaToken) -> FormulaError {
        switch token.kind {
        case .end: error("unexpected_end", "The formula ends too soon.", at: token.offset)
        case .number(let value):
            error("unexpected_token", "A number (\(value.plainText)) cannot stand here.", at: token.offset)
        case .name(let name): error("unexpected_token", "\(name) cannot stand here.", at: token.offset)
        case .symbol(let symbol): error("unexpected_token", "\"\(symbol)\" cannot stand here.", at: token.offset)
        }
    }

    private mutating func take(_ symbol: String) -> Bool {
        if case .symbol(symbol) = current.kind { position += 1; return true }
        return false
    }

    private mutating func takeWord(_ word: String) -> Bool {
        if case .name(let name) = current.kind, name.lowercased() == word { position += 1; return true }
        return false
    }

    /// Guards the recursion: a formula nested deeper than this is refused, not a crash.
    private mutating func nested<T>(_ body: (inout FormulaParser) throws(FormulaError) -> T) throws(FormulaError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw error("too_deep", "The formula is nested too deeply.", at: current.offset)
        }
        return try body(&self)
    }

    private mutating func expression() throws(FormulaError) -> FormulaNode {
        try nested { (p: inout FormulaParser) throws(FormulaError) in try p.or() }
    }

    private mutating func or() throws(FormulaError) -> FormulaNode {
        var left = try and()
        while true {
            let at = current.offset
            guard take("||") || takeWord("or") else { return left }
            left = .binary("or", left, try and(), at: at)
        }
    }

    private mutating func and() throws(FormulaError) -> FormulaNode {
        var left = try not()
        while true {
            let at = current.offset
            guard take("&&") || takeWord("and") else { return left }
            left = .binary("and", left, try not(), at: at)
        }
    }

    private mutating func not() throws(FormulaError) -> FormulaNode {
        if take("!") || takeWord("not") {
            return .not(try nested { (p: inout FormulaParser) throws(FormulaError) in try p.not() })
        }
        return try comparison()
    }

    private mutating func comparison() throws(FormulaError) -> FormulaNode {
        let left = try additive()
        for symbol in ["<=", ">=", "==", "!=", "<", ">"] {
            let at = current.offset
            if take(symbol) {
                let node = FormulaNode.binary(symbol, left, try additive(), at: at)
                if case .symbol(let next) = current.kind, ["<=", ">=", "==", "!=", "<", ">"].contains(next) {
                    throw error("unexpected_token", "Comparisons do not chain; join them with and.", at: current.offset)
                }
                return node
            }
        }
        return left
    }

    private mutating func additive() throws(FormulaError) -> FormulaNode {
        var left = try multiplicative()
        while true {
            let at = current.offset
            if take("+") {
                left = .binary("+", left, try multiplicative(), at: at)
            } else if take("-") {
                left = .binary("-", left, try multiplicative(), at: at)
            } else {
                return left
            }
        }
    }

    private mutating func multiplicative() throws(FormulaError) -> FormulaNode {
        var left = try unary()
        while true {
            let at = current.offset
            guard let symbol = ["*", "/", "%"].first(where: { take($0) }) else { return left }
            left = .binary(symbol, left, try unary(), at: at)
        }
    }

    private mutating func unary() throws(FormulaError) -> FormulaNode {
        if take("-") { return .negate(try nested { (p: inout FormulaParser) throws(FormulaError) in try p.unary() }) }
        if take("+") { return try nested { (p: inout FormulaParser) throws(FormulaError) in try p.unary() } }
        return try power()
    }

    private mutating func power() throws(FormulaError) -> FormulaNode {
        let base = try primary()
        let at = current.offset
        guard take("^") else { return base }
        return .binary("^", base, try nested { (p: inout FormulaParser) throws(FormulaError) in try p.unary() }, at: at)
    }

    private mutating func primary() throws(FormulaError) -> FormulaNode {
        let token = current
        switch token.kind {
        case .number(let value):
            position += 1
            return .number(value)
        case .symbol("("):
            position += 1
            let inner = try expression()
            guard take(")") else {
                throw current.kind == .end
                    ? unexpected(current) : error("unexpected_token", "A \")\" is missing here.", at: current.offset)
            }
            return inner
        case .name(let name):
            position += 1
            if ["and", "or", "not"].contains(name.lowercased()) { throw unexpected(token) }
            if name == "children" {
                throw error(
                    "children_outside_aggregate", "children stands only inside min, max, sum, avg or count.",
                    at: token.offset)
            }
            guard take("(") else { return .name(name, at: token.offset) }
            return try call(name.lowercased(), at: token.offset)
        default:
            throw unexpected(token)
        }
    }

    private mutating func call(_ name: String, at offset: Int) throws(FormulaError) -> FormulaNode {
        guard let arity = Self.functions[name] else {
            throw error(
                "unknown_function",
                "\(name) is not a function; use one of \(Self.functions.keys.sorted().joined(separator: ", ")).",
                at: offset)
        }
        var arguments: [FormulaNode] = []
        if !take(")") {
            repeat {
                if Self.aggregates.contains(name), case .name("children") = current.kind {
                    arguments.append(.children(at: current.offset))
                    position += 1
                } else {
                    arguments.append(try expression())
                }
            } while take(",")
            guard take(")") else {
                throw current.kind == .end
                    ? unexpected(current)
                    : error("unexpected_token", "A \",\" or \")\" is missing here.", at: current.offset)
            }
        }
        let allowed = arity ?? 1...Int.max
        guard allowed.contains(arguments.count) else {
            let wanted =
                arity.map {
                    $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound) or \($0.upperBound)"
                } ?? "at least 1"
            throw error(
                "wrong_arity", "\(name) takes \(wanted) argument\(wanted == "1" ? "" : "s"), not \(arguments.count).",
                at: offset)
        }
        return .call(name, arguments, at: offset)
    }
}

extension Double {
    /// Whole numbers without ".0"; others as Swift prints them.
    public var plainText: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}
