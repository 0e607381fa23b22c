import ChengyunCore
import Foundation

/// A JSON value as read, booleans apart from numbers, and written the one way the committed
/// OpenAPI document is: keys in code-point order, one space of indent a level, numbers in their
/// shortest form. Foundation's serializer sorts keys by a locale's collation and formats numbers
/// as its platform does, which a byte-for-byte check cannot rest on.
enum JSONValue: Codable, Equatable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    static func read(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var object: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }

    /// The JSON type a validator names: a whole number is an `integer`.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let value): value.rounded() == value ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Compact text, for examples and messages.
    var description: String { text(indent: nil) }

    /// Pretty text with one space of indent a level and a final newline.
    var pretty: String { text(indent: 0) + "\n" }

    private func text(indent: Int?) -> String {
        let inner = indent.map { String(repeating: " ", count: $0 + 1) } ?? ""
        let outer = indent.map { String(repeating: " ", count: $0) } ?? ""
        let newline = indent == nil ? "" : "\n"
        let comma = "," + newline
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value):
            return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        case .string(let value): return Self.quoted(value)
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            let body = items.map { inner + $0.text(indent: indent.map { $0 + 1 }) }.joined(separator: comma)
            return "[" + newline + body + newline + outer + "]"
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            let body = fields.keys.sorted(by: Self.codePointOrder).map {
                inner + Self.quoted($0) + (indent == nil ? ":" : ": ")
                    + fields[$0]!.text(indent: indent.map { $0 + 1 })
            }
            return "{" + newline + body.joined(separator: comma) + newline + outer + "}"
        }
    }

    static func codePointOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    private static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}
