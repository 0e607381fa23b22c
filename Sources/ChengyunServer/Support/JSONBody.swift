import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird

extension JSONEncoder {
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// A JSON response of any encodable value.
struct JSONBody<Value: Encodable & Sendable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder.api.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Response {
    static func noContent() -> Response { Response(status: .noContent) }
}

extension Request {
    /// Reads a JSON object body into `T`, refusing what is not JSON, fields `T` does not have,
    /// missing fields and wrong types, each with its own code and the field's path. The body must
    /// say it is `application/json`: a form a foreign page posts cannot say so without the
    /// browser asking first (CORS), which this server never allows.
    func decodeStrict<T: StrictInput>(_ type: T.Type, context: some RequestContext) async throws -> T {
        guard let contentType = headers[.contentType], contentType.lowercased().hasPrefix("application/json") else {
            throw Problem(
                status: .unsupportedMediaType, code: "unsupported_media_type",
                detail: "Send the body as application/json.")
        }
        var request = self
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let data = Data(buffer: buffer)
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw Problem.badRequest("invalid_json", "The body is not valid JSON.")
        }
        guard let fields = object as? [String: Any] else {
            throw Problem.badRequest("invalid_json", "The body must be a JSON object.")
        }
        let unknown = Set(fields.keys).subtracting(T.allowedFields).sorted()
        if !unknown.isEmpty {
            throw Problem.badRequest(
                "unknown_field", "The body has fields this operation does not take.",
                errors: unknown.map {
                    FieldIssue(
                        field: $0, code: "unknown_field",
                        message: "Not a field of this request.")
                })
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Self.problem(error)
        }
    }

    static func problem(_ error: DecodingError) -> Problem {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context, key)
            return .badRequest(
                "missing_field", "A required field is missing: \(field).",
                errors: [FieldIssue(field: field, code: "missing_field", message: "This field is required.")])
        case .valueNotFound(_, let context):
            let field = path(context)
            return .badRequest(
                "missing_field", "A required field is null: \(field).",
                errors: [FieldIssue(field: field, code: "missing_field", message: "This field may not be null.")])
        case .typeMismatch(let type, let context):
            let field = path(context)
            return .badRequest(
                "wrong_type", "A field has the wrong type: \(field).",
                errors: [FieldIssue(field: field, code: "wrong_type", message: "Expected \(Self.describe(type)).")])
        case .dataCorrupted(let context):
            let field = path(context)
            return .badRequest(
                "invalid_value", "A field has a value that is not allowed: \(field).",
                errors: [FieldIssue(field: field, code: "invalid_value", message: context.debugDescription)])
        @unknown default:
            return .badRequest("invalid_json", "The body could not be read.")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        default: "\(type)".contains("Array") ? "an array" : "an object or value of type \(type)"
        }
    }

    /// A query parameter, with an empty value treated as absent.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    func pageRequest() throws -> PageRequest {
        try PageRequest(cursor: query("cursor"), limit: query("limit"))
    }

    func queryBool(_ name: String) throws -> Bool? {
        guard let raw = query(name) else { return nil }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            throw Problem.badRequest(
                "invalid_parameter", "\(name) is true or false.",
                errors: [FieldIssue(field: name, code: "invalid_value", message: "Unknown value \(raw).")])
        }
    }

    /// An instant parameter: epoch milliseconds or ISO 8601 with a zone.
    func queryInstant(_ name: String) throws -> Int64? {
        guard let raw = query(name) else { return nil }
        guard let value = Instant.parse(raw) else {
            throw Problem.badRequest(
                "invalid_parameter", "\(name) is epoch milliseconds or ISO 8601 with a time zone.",
                errors: [FieldIssue(field: name, code: "invalid_value", message: "Not a time: \(raw).")])
        }
        return value
    }

    func queryInt(_ name: String) throws -> Int? {
        guard let raw = query(name) else { return nil }
        guard let value = Int(raw) else {
            throw Problem.badRequest(
                "invalid_parameter", "\(name) is a whole number.",
                errors: [FieldIssue(field: name, code: "invalid_value", message: "Not a whole number: \(raw).")])
        }
        return value
    }

    /// The required `lon` and `lat` parameters, in decimal degrees.
    func queryPoint() throws -> GeoPoint {
        guard let lon = query("lon").flatMap(Double.init), let lat = query("lat").flatMap(Double.init) else {
            throw Problem.badRequest(
                "invalid_parameter", "lon and lat are required numbers.",
                errors: [
                    FieldIssue(field: "lon/lat", code: "invalid_value", message: "Give lon and lat in decimal degrees.")
                ])
        }
        return GeoPoint(lon: lon, lat: lat)
    }

    func queryEnum<E: RawRepresentable>(_ name: String, _ type: E.Type) throws -> E? where E.RawValue == String {
        guard let raw = query(name) else { return nil }
        guard let value = E(rawValue: raw) else {
            throw Problem.badRequest(
                "invalid_parameter", "\(name) has a value that is not allowed.",
                errors: [FieldIssue(field: name, code: "invalid_value", message: "Unknown value \(raw).")])
        }
        return value
    }
}
