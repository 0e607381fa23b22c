/// Why a formula cannot be read or worked out, and where: the character offset (0-based) with its
/// line and column (1-based), so an editor can point at the place.
public struct FormulaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable: `unexpected_character`, `invalid_number`, `unexpected_token`, `unexpected_end`,
    /// `unknown_function`, `wrong_arity`, `children_outside_aggregate`, `too_long`, `too_deep`,
    /// `unknown_name`.
    public var code: String
    public var message: String
    public var offset: Int
    public var line: Int
    public var column: Int

    init(_ code: String, _ message: String, at offset: Int, in source: [Character]) {
        self.code = code
        self.message = message
        self.offset = offset
        var line = 1, column = 1
        for character in source.prefix(offset) {
            if character == "\n" || character == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
