import Foundation

/// A JSON value as read, booleans apart from numbers.
enum JSONValue: Decodable, Equatable, CustomStringConvertible {
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

    static func read(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var object: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }

    /// Back to JSON text, for decoding an example into a Swift type.
    var data: Data { Data(text.utf8) }

    var text: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value): String(decoding: try! JSONEncoder().encode(value), as: UTF8.self)
        case .array(let items): "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let fields):
            "{"
                + fields.sorted { $0.key < $1.key }.map { JSONValue.string($0.key).text + ":" + $0.value.text }
                .joined(separator: ",") + "}"
        }
    }

    var description: String { text }

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
}

/// Checks JSON values against the OpenAPI document's JSON Schemas (the 2020-12 subset the
/// document uses: `$ref`, `type` and type lists, `const`, `enum`, `properties`, `required`,
/// `additionalProperties`, `items`, `oneOf`, `anyOf`, `allOf`), and makes examples from them.
struct SchemaCheck {
    let schemas: [String: JSONValue]

    init(document: JSONValue) {
        schemas = document["components"]?["schemas"]?.object ?? [:]
    }

    func resolve(_ schema: JSONValue) -> JSONValue {
        guard let ref = schema["$ref"]?.string, let name = ref.split(separator: "/").last,
            let target = schemas[String(name)]
        else { return schema }
        return resolve(target)
    }

    /// Where `value` breaks `schema`, each as "path: reason"; empty when it fits.
    func problems(_ value: JSONValue, _ raw: JSONValue, at path: String = "$") -> [String] {
        let schema = resolve(raw)
        for key in ["oneOf", "anyOf"] {
            if let options = schema[key]?.array, !options.contains(where: { problems(value, $0, at: path).isEmpty }) {
                return ["\(path): fits none of \(key)"]
            }
        }
        var found: [String] = []
        for part in schema["allOf"]?.array ?? [] { found += problems(value, part, at: path) }
        if let types = typeList(schema), !types.contains(where: { fits(value, $0) }) {
            return found + ["\(path): \(value.kind) is not \(types.joined(separator: " or "))"]
        }
        if let constant = schema["const"], constant != value {
            found.append("\(path): \(value) is not \(constant)")
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) {
            found.append("\(path): \(value) is not one of \(allowed)")
        }
        if let object = value.object {
            let properties = schema["properties"]?.object ?? [:]
            for name in schema["required"]?.array?.compactMap(\.string) ?? [] where object[name] == nil {
                found.append("\(path).\(name): required but absent")
            }
            for (name, item) in object {
                if let property = properties[name] {
                    found += problems(item, property, at: "\(path).\(name)")
                } else if let extra = schema["additionalProperties"], extra.object != nil {
                    found += problems(item, extra, at: "\(path).\(name)")
                } else if schema["additionalProperties"] == .bool(false) {
                    found.append("\(path).\(name): not in the schema")
                }
            }
        }
        if let array = value.array, let items = schema["items"] {
            for (index, item) in array.enumerated() { found += problems(item, items, at: "\(path)[\(index)]") }
        }
        return found
    }

    /// An example of `raw`: every property (or only the required ones), the first choice of each
    /// list, the first enumerated value.
    func example(_ raw: JSONValue, full: Bool, depth: Int = 0) -> JSONValue {
        let schema = resolve(raw)
        if let constant = schema["const"] { return constant }
        if let first = schema["examples"]?.array?.first { return first }
        if let first = schema["enum"]?.array?.first(where: { $0 != .null }) { return first }
        if let options = (schema["oneOf"] ?? schema["anyOf"])?.array,
            let first = options.first(where: { typeList(resolve($0)) != ["null"] })
        {
            return example(first, full: full, depth: depth + 1)
        }
        let type = typeList(schema)?.first { $0 != "null" } ?? (schema["properties"] != nil ? "object" : "string")
        switch type {
        case "object":
            let required = Set(schema["required"]?.array?.compactMap(\.string) ?? [])
            var object: [String: JSONValue] = [:]
            for (name, property) in schema["properties"]?.object ?? [:]
            where (full && depth < 6) || required.contains(name) {
                object[name] = example(property, full: full, depth: depth + 1)
            }
            return .object(object)
        case "array":
            let count = max(Int(schema["minItems"]?.number ?? 0), full ? 1 : 0)
            return .array(
                (0..<count).map { _ in example(schema["items"] ?? .object([:]), full: full, depth: depth + 1) })
        case "integer": return .number(max(schema["minimum"]?.number ?? 1, 1))
        case "number": return .number(max(schema["minimum"]?.number ?? 1.5, 0))
        case "boolean": return .bool(true)
        default: return .string(schema["format"]?.string == "date" ? "2026-01-01" : "x")
        }
    }

    private func typeList(_ schema: JSONValue) -> [String]? {
        if let one = schema["type"]?.string { return [one] }
        return schema["type"]?.array?.compactMap(\.string)
    }

    private func fits(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool),
            ("number", .number):
            true
        case ("integer", .number(let number)): number.rounded() == number
        default: false
        }
    }
}
