import Foundation

@testable import ChengyunServer

/// Checks JSON values against the OpenAPI document's JSON Schemas (the 2020-12 subset the
/// document uses: `$ref`, `type` and type lists, `const`, `enum`, `properties`, `required`,
/// `additionalProperties`, `items`, `oneOf` (exactly one), `anyOf`, `allOf`), and makes examples
/// from them; a reference that leads nowhere fits nothing.
struct SchemaCheck {
    let schemas: [String: JSONValue]

    init(document: JSONValue) {
        schemas = document["components"]?["schemas"]?.object ?? [:]
    }

    func resolve(_ schema: JSONValue) -> JSONValue {
        guard let ref = schema["$ref"]?.string else { return schema }
        guard let name = ref.split(separator: "/").last, let target = schemas[String(name)] else {
            // A reference that leads nowhere admits nothing, so it cannot pass unnoticed.
            return .object(["not": .object([:]), "x-unresolved": .string(ref)])
        }
        return resolve(target)
    }

    /// Where `value` breaks `schema`, each as "path: reason"; empty when it fits.
    func problems(_ value: JSONValue, _ raw: JSONValue, at path: String = "$") -> [String] {
        let schema = resolve(raw)
        if let ref = schema["x-unresolved"]?.string { return ["\(path): \(ref) leads nowhere"] }
        if let options = schema["anyOf"]?.array, !options.contains(where: { problems(value, $0, at: path).isEmpty }) {
            return ["\(path): fits none of anyOf"]
        }
        if let options = schema["oneOf"]?.array {
            let fitting = options.filter { problems(value, $0, at: path).isEmpty }.count
            if fitting != 1 { return ["\(path): fits \(fitting) of oneOf, not exactly one"] }
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
    func example(_ raw: JSONValue, full: Bool, branch: Int = 0, depth: Int = 0) -> JSONValue {
        let schema = resolve(raw)
        if let constant = schema["const"] { return constant }
        if let first = schema["examples"]?.array?.first { return first }
        if let first = schema["enum"]?.array?.first(where: { $0 != .null }) { return first }
        if let options = (schema["oneOf"] ?? schema["anyOf"])?.array?.filter({ typeList(resolve($0)) != ["null"] }),
            !options.isEmpty
        {
            return example(options[branch % options.count], full: full, branch: branch, depth: depth + 1)
        }
        let type = typeList(schema)?.first { $0 != "null" } ?? (schema["properties"] != nil ? "object" : "string")
        switch type {
        case "object":
            let required = Set(schema["required"]?.array?.compactMap(\.string) ?? [])
            var object: [String: JSONValue] = [:]
            for (name, property) in schema["properties"]?.object ?? [:]
            where (full && depth < 6) || required.contains(name) {
                object[name] = example(property, full: full, branch: branch, depth: depth + 1)
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
