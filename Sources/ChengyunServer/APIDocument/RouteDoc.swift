import ChengyunCore
import ChengyunStore
import Foundation

/// What a route says of itself. The OpenAPI document is generated from these declarations, the
/// routes' `Access` (roles) and the types their handlers return; nothing in it is written twice.
struct RouteDoc: Sendable {
    var summary: String
    var tag: APITag
    var description: String?
    var parameters: [RouteParameter]
    var body: RouteContent?
    /// The success answer's status; its content is the handler's `JSONBody` value unless
    /// `success` names another.
    var status: Int
    var success: RouteAnswer?
    /// What the derived success answer says, when more than "OK" or "Created".
    var outcome: String?
    /// Answers of the route's own, beside the shared ones derived from its access, path, query
    /// and body.
    var answers: [RouteAnswer]
    /// Shared answers the route gives that its shape alone does not show.
    var alsoShared: [SharedAnswer]
    /// Open311 routes answer errors in Open311's own format, so no shared Problem answers.
    var problems: Bool

    init(
        _ summary: String, _ tag: APITag, description: String? = nil, parameters: [RouteParameter] = [],
        body: RouteContent? = nil, status: Int = 200, success: RouteAnswer? = nil, outcome: String? = nil,
        answers: [RouteAnswer] = [],
        alsoShared: [SharedAnswer] = [], problems: Bool = true
    ) {
        self.summary = summary
        self.tag = tag
        self.description = description
        self.parameters = parameters
        self.body = body
        self.status = status
        self.success = success
        self.outcome = outcome
        self.answers = answers
        self.alsoShared = alsoShared
        self.problems = problems
    }
}

/// The document's sections; their descriptions are in `base.json`.
enum APITag: String, Sendable {
    case session, organisation, people, audit, catalogue, system, cases, evaluation, monitoring, open311
    case indicators, supervision, patrol, emergency, datahub, ckan, ngsiLD
}

/// The error answers many routes share, written once in `components/responses`.
enum SharedAnswer: String, Sendable, CaseIterable {
    case badRequest = "BadRequest"
    case unauthenticated = "Unauthenticated"
    case forbidden = "Forbidden"
    case notFound = "NotFound"
    case unsupportedMediaType = "UnsupportedMediaType"
    case validationFailed = "ValidationFailed"

    var status: Int {
        switch self {
        case .badRequest: 400
        case .unauthenticated: 401
        case .forbidden: 403
        case .notFound: 404
        case .unsupportedMediaType: 415
        case .validationFailed: 422
        }
    }
}

/// A query, path or header parameter.
struct RouteParameter: Sendable {
    enum Place: String, Sendable { case query, path, header }
    var name: String
    var place: Place
    var type: ValueType
    var description: String?
    var required: Bool

    static func query(
        _ name: String, _ type: ValueType = .string, _ description: String? = nil, required: Bool = false
    ) -> RouteParameter {
        RouteParameter(name: name, place: .query, type: type, description: description, required: required)
    }

    static func header(_ name: String, _ type: ValueType = .string, _ description: String? = nil) -> RouteParameter {
        RouteParameter(name: name, place: .header, type: type, description: description, required: false)
    }

    /// Describes a path parameter; undescribed ones are derived from the path as strings.
    static func path(_ name: String, _ description: String) -> RouteParameter {
        RouteParameter(name: name, place: .path, type: .string, description: description, required: true)
    }

    /// A keyset-paged list's `cursor` and `limit`.
    static let cursor = query("cursor")
    static let limit = query("limit", .integer(minimum: 1, maximum: 500, default: 50))
}

/// A parameter's value.
indirect enum ValueType: Sendable {
    case string
    case pattern(String)
    case integer(minimum: Int? = nil, maximum: Int? = nil, default: Int? = nil)
    case number
    case boolean
    /// Epoch milliseconds or an ISO 8601 text.
    case instant
    /// One of a closed list.
    case choice([String], default: String? = nil)
    /// A type of the domain with its own schema (an enumeration).
    case named(String)

    static func named<T>(_ type: T.Type) -> ValueType { .named(SchemaName.of(type)) }
}

/// A body's or an answer's content.
enum RouteContent: Sendable {
    /// JSON of a named schema (a type of the domain); a request body's type comes with its probe.
    case json(String, InputProbe? = nil)
    /// A JSON list of a named schema.
    case jsonList(String)
    /// JSON of one of several named schemas.
    case jsonOneOf([String], description: String?)
    /// Open311's answers: the JSON of a named schema, or a list of one, and the same as XML.
    case open311(String, list: Bool)
    /// `application/x-www-form-urlencoded` of a named schema.
    case form(String)
    /// One file in `multipart/form-data`.
    case multipartFile
    /// Readings as a JSON list, NDJSON or CSV.
    case readings
    /// An `application/problem+json` error (RFC 9457).
    case problem
    case csv
    case text
    case binary
    case eventStream
    /// NGSI-LD's answers and bodies: the same JSON as `application/json` or `application/ld+json`.
    case jsonLD(String, list: Bool)

    static func json<T>(_ type: T.Type) -> RouteContent { .json(SchemaName.of(type)) }
    static func json<T: StrictInput>(_ type: T.Type) -> RouteContent { .json(SchemaName.of(type), InputProbe(type)) }
    static func jsonList<T>(_ type: T.Type) -> RouteContent { .jsonList(SchemaName.of(type)) }
    static func open311<T>(_ type: T.Type, list: Bool = false) -> RouteContent {
        .open311(SchemaName.of(type), list: list)
    }
    static func form<T>(_ type: T.Type) -> RouteContent { .form(SchemaName.of(type)) }
}

/// A request body's Swift type as the document's tests see it: the fields it takes and a way to
/// decode an example, so each body schema is checked against the type that really reads it.
struct InputProbe: Sendable {
    var fields: Set<String>
    var decode: @Sendable (Data) throws -> Void

    init<T: StrictInput>(_ type: T.Type) {
        fields = T.allowedFields
        decode = { _ = try JSONDecoder().decode(T.self, from: $0) }
    }
}

/// An answer of a route's own.
struct RouteAnswer: Sendable {
    var status: Int
    var description: String
    var content: RouteContent?
    /// A `Retry-After` header, as rate-limited answers carry.
    var retryAfter: Bool = false

    /// An `application/problem+json` error of the route's own.
    static func problem(_ status: Int, _ description: String) -> RouteAnswer {
        RouteAnswer(status: status, description: description, content: .problem)
    }

    /// `429 rate_limited` with `Retry-After`.
    static func rateLimited(_ description: String) -> RouteAnswer {
        RouteAnswer(status: 429, description: description, content: .problem, retryAfter: true)
    }

    /// An Open311 error list, as JSON or XML.
    static func open311Error(_ status: Int, _ description: String) -> RouteAnswer {
        RouteAnswer(status: status, description: description, content: .open311("Open311Error", list: true))
    }

    static func ok(_ content: RouteContent?, _ description: String = "OK", status: Int = 200) -> RouteAnswer {
        RouteAnswer(status: status, description: description, content: content)
    }
}

/// A type whose schema is named otherwise than the type (a nested type whose own name says too
/// little).
protocol NamedSchema {
    static var schemaName: String { get }
}

/// A schema's name in `components/schemas`: the Swift type's own name; a generic wrapper's name
/// follows its argument's (`Page<Area>` is `AreaPage`, `Items<Warning>` is `WarningItems`).
enum SchemaName {
    /// A handler's `JSONBody` value as content: a list is a JSON list of its element.
    static func content<T>(of type: T.Type) -> RouteContent {
        if let named = type as? any NamedSchema.Type { return .json(named.schemaName) }
        let described = String(describing: type)
        if described.hasPrefix("Array<") {
            return .jsonList(name(String(described.dropFirst(6).dropLast())))
        }
        return .json(name(described))
    }

    static func of<T>(_ type: T.Type) -> String {
        if let named = type as? any NamedSchema.Type { return named.schemaName }
        return name(String(describing: type))
    }

    static func name(_ described: String) -> String {
        guard let open = described.firstIndex(of: "<"), described.hasSuffix(">") else {
            return String(described.split(separator: "." as Character).last ?? Substring(described))
        }
        let base = name(String(described[..<open]))
        let argument = name(
            String(described[described.index(after: open)..<described.index(before: described.endIndex)]))
        return argument + base
    }
}
