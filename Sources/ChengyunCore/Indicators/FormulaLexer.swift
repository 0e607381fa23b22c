/// The words of the formula language: numbers, names (indicator codes such as
/// `clean.garbage_per_10km2`), operators and brackets, each with the offset it starts at.
struct FormulaToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case number(Double)
        case name(String)
        case symbol(String) // + - * / % ^ ( ) , < <= > >= == !=
        case end
    }
    var kind: Kind
    var offset: Int
}

enum FormulaLexer {
    static let symbols: [String] = [
        "<=", ">=", "==", "!=", "&&", "||", "+", "-", "*", "/", "%", "^", "(", ")", ",", "<", ">", "!",
    ]

    static func tokens(_ source: [Character]) throws(FormulaError) -> [FormulaToken] {
        var tokens: [FormulaToken] = []
        var index = 0
        while index < source.count {
            let c = source[index]
            if c.isWhitespace { index += 1; continue }
            let start = index
            if c.isASCII
                && (c.isNumber
                    || (c == "." && index + 1 < source.count && source[index + 1].isASCII && source[index + 1].isNumber))
            {
                while index < source.count && source[index].isASCII && (source[index].isNumber || source[index] == ".")
                { index += 1 }
                // An exponent: 1e6, 2.5E-3.
                if index < source.count && (source[index] == "e" || source[index] == "E") {
                    var look = index + 1
                    if look < source.count && (source[look] == "+" || source[look] == "-") { look += 1 }
                    if look < source.count && source[look].isASCII && source[look].isNumber {
                        index = look
                        while index < source.count && source[index].isASCII && source[index].isNumber { index += 1 }
                    }
                }
                let text = String(source[start..<index])
                guard let value = Double(text), value.isFinite else {
                    throw FormulaError("invalid_number", "\(text) is not a number.", at: start, in: source)
                }
                tokens.append(FormulaToken(kind: .number(value), offset: start))
                continue
            }
            if c == "_" || (c.isLetter && c.isASCII) {
                while index < source.count
                    && (source[index] == "_" || source[index] == "."
                        || (source[index].isASCII && (source[index].isLetter || source[index].isNumber)))
                {
                    index += 1
                }
                tokens.append(FormulaToken(kind: .name(String(source[start..<index])), offset: start))
                continue
            }
            let rest = source[index...].prefix(2)
            guard let symbol = symbols.first(where: { rest.starts(with: $0) }) else {
                throw FormulaError(
                    "unexpected_character", "\"\(c)\" has no meaning in a formula.", at: start, in: source)
            }
            tokens.append(FormulaToken(kind: .symbol(symbol), offset: start))
            index += symbol.count
        }
        tokens.append(FormulaToken(kind: .end, offset: source.count))
        return tokens
    }
}
