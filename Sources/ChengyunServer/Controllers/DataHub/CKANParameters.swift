import ChengyunCore
import Foundation
import Hummingbird

/// An action's parameters, read as CKAN reads them: the query's (form-encoded, `+` a space, as
/// CKAN's clients send it), and a POSTed JSON object's over them.
struct CKANParameters {
    var values: [String: String]

    static func read(_ request: Request, maxBody: Int) async throws -> CKANParameters {
        guard let pairs = URLForm.parse(request.uri.query ?? "") else {
            throw CKANFailure(.badRequest, "Bad Request", "Bad request - the query is not valid percent-encoded UTF-8")
        }
        var values = Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        guard request.method == .post else { return CKANParameters(values: values) }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: maxBody) else {
            throw CKANFailure(.contentTooLarge, "Bad Request", "Bad request - the body is over 64 KB")
        }
        guard buffer.readableBytes > 0 else { return CKANParameters(values: values) }
        guard let object = try? JSONDecoder().decode([String: CKANScalar].self, from: Data(buffer: buffer)) else {
            throw CKANFailure(.badRequest, "Bad Request", "Bad request - JSON Error: send a JSON object")
        }
        // Nulls are left out; lists are parameters this door does not read.
        for (name, value) in object { if let text = value.text { values[name] = text } }
        return CKANParameters(values: values)
    }

    func required(_ name: String) throws -> String {
        guard let value = values[name], !value.isEmpty else {
            throw CKANFailure(.conflict, "Validation Error", "\(name): Missing value")
        }
        return value
    }

    func int(_ name: String, default fallback: Int) throws -> Int {
        guard let raw = values[name] else { return fallback }
        guard let value = Int(raw), value >= 0 else {
            throw CKANFailure(.conflict, "Validation Error", "\(name): a whole number, 0 or more")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool {
        switch values[name]?.lowercased() {
        case nil, "false", "0", "": false
        case "true", "1": true
        default: throw CKANFailure(.conflict, "Validation Error", "\(name): true or false")
        }
    }

    /// An fq's clauses: split at spaces outside double quotes.
    static func clauses(_ fq: String) -> [String] {
        var clauses: [String] = []
        var current = ""
        var quoted = false
        for character in fq {
            if character == "\"" { quoted.toggle() }
            if character == " ", !quoted {
                if !current.isEmpty { clauses.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { clauses.append(current) }
        return clauses
    }
}

/// A parameter's value in a POSTed body: clients send numbers and booleans as JSON's own, an
/// object (datastore_search's filters) as JSON, and nulls and lists it ignores.
struct CKANScalar: Decodable {
    var text: String?

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            text = nil
        } else if let flag = try? value.decode(Bool.self) {
            text = flag ? "true" : "false"
        } else if let whole = try? value.decode(Int.self) {
            text = String(whole)
        } else if let number = try? value.decode(Double.self) {
            text = String(number)
        } else if let words = try? value.decode(String.self) {
            text = words
        } else if let object = try? value.decode([String: CKANScalar].self) {
            text = String(decoding: try JSONEncoder().encode(object.compactMapValues(\.text)), as: UTF8.self)
        } else {
            text = nil
        }
    }
}

/// A CKAN error answer of the door's own.
struct CKANFailure: Error {
    var status: HTTPResponse.Status
    var error: CKANError

    init(_ status: HTTPResponse.Status, _ type: String, _ message: String) {
        self.status = status
        error = CKANError(type: type, message: message)
    }

    static func searchQuery(_ message: String) -> CKANFailure { .init(.conflict, "Search Query Error", message) }
}
