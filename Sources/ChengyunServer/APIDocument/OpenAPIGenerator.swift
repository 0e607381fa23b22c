import ChengyunStore
import Foundation
import Hummingbird
import OpenAPIKit

/// Builds the OpenAPI document from the routes' own declarations: their `RouteDoc`, their
/// `Access` and the types their handlers answer with. `base.json` holds what no route declares:
/// the document's info, tags, security schemes, shared answers and the types' schemas.
public enum OpenAPIGenerator {
    struct Mismatch: Error, CustomStringConvertible {
        var description: String
    }

    /// The document as served and committed (see `JSONValue.pretty`).
    public static func data(platform: Platform) throws -> Data {
        let base = try baseDocument()
        let generated = try JSONValue.read(
            JSONEncoder().encode(try document(platform: platform, base: base.withoutSchemas)))
        // The types' schemas go in as written: OpenAPIKit's schema model would reorder `required`
        // and fold a nullable `oneOf` into `"type": "null"`.
        guard case .object(var object) = generated, case .object(var components)? = object["components"] else {
            throw Mismatch(description: "the generated document has no components")
        }
        components["schemas"] = .object(base.schemas)
        object["components"] = .object(components)
        return Data(JSONValue.object(object).pretty.utf8)
    }

    /// `base.json`, its schemas apart.
    static func baseDocument() throws -> (withoutSchemas: OpenAPI.Document, schemas: [String: JSONValue]) {
        guard let url = Bundle.module.url(forResource: "base", withExtension: "json", subdirectory: "OpenAPI"),
            case .object(var base) = try JSONValue.read(Data(contentsOf: url)),
            case .object(var components)? = base["components"]
        else {
            throw Mismatch(description: "OpenAPI/base.json is missing or not a document")
        }
        let schemas = components.removeValue(forKey: "schemas")?.object ?? [:]
        base["components"] = .object(components)
        let document = try JSONDecoder().decode(
            OpenAPI.Document.self, from: JSONEncoder().encode(JSONValue.object(base)))
        return (document, schemas)
    }

    /// Every route's declaration, checked to be one for each route the router serves.
    static func declarations(platform: Platform) throws -> [OperationBook.Entry] {
        let book = OperationBook()
        let router = OperationBook.$current.withValue(book) { buildRouter(platform: platform) }
        let entries = book.all
        let declared = Set(entries.map { "\($0.method.rawValue) \($0.path)" })
        let served = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        guard declared == served, declared.count == entries.count else {
            throw Mismatch(
                description: "routes and declarations differ: served only \(served.subtracting(declared).sorted()), "
                    + "declared only \(declared.subtracting(served).sorted()), \(entries.count) declarations")
        }
        return entries
    }

    static func document(platform: Platform, base: OpenAPI.Document) throws -> OpenAPI.Document {
        let entries = try declarations(platform: platform)
        var document = base
        document.info.version = Chengyun.version
        var paths = OpenAPI.PathItem.Map()
        var unanswered: [String] = []
        for entry in entries.sorted(by: { ($0.path, $0.method.rawValue) < ($1.path, $1.method.rawValue) }) {
            let path = OpenAPI.Path(rawValue: entry.path)
            var item = paths[path]?.b ?? OpenAPI.PathItem()
            guard let verb = OpenAPI.HttpMethod(rawValue: entry.method.rawValue) else { continue }
            do {
                item.set(operation: try operation(entry), for: verb)
            } catch let mismatch as Mismatch {
                unanswered.append(mismatch.description)
            }
            paths[path] = .b(item)
        }
        guard unanswered.isEmpty else { throw Mismatch(description: unanswered.joined(separator: "\n")) }
        document.paths = paths
        return document
    }

    static func operation(_ entry: OperationBook.Entry) throws -> OpenAPI.Operation {
        let doc = entry.doc
        var extensions: [String: AnyCodable] = ["x-roles": AnyCodable(entry.access?.roles ?? ["public"])]
        if entry.access?.isPlatformWide == true { extensions["x-scope"] = "platform" }
        var operation = OpenAPI.Operation(
            tags: [doc.tag.rawValue], summary: doc.summary, description: doc.description,
            parameters: parameters(entry).map { .b($0) },
            responses: try responses(entry),
            security: entry.access == nil ? [] : nil,
            vendorExtensions: extensions)
        operation.requestBody = doc.body.map { .b(OpenAPI.Request(content: content($0), required: true)) }
        return operation
    }

    static func parameters(_ entry: OperationBook.Entry) -> [OpenAPI.Parameter] {
        let described = Dictionary(
            entry.doc.parameters.filter { $0.place == .path }.map { ($0.name, $0.description) },
            uniquingKeysWith: { first, _ in first })
        let inPath = entry.path.matches(of: /\{([A-Za-z0-9_]+)\}/).map { String($0.output.1) }
        let path = inPath.map {
            OpenAPI.Parameter(name: $0, context: .path(schema: .string), description: described[$0] ?? nil)
        }
        let query = entry.doc.parameters.filter { $0.place == .query }.map {
            OpenAPI.Parameter(
                name: $0.name, context: .query(required: $0.required, schema: schema($0.type)),
                description: $0.description)
        }
        let headers = entry.doc.parameters.filter { $0.place == .header }.map {
            OpenAPI.Parameter(
                name: $0.name, context: .header(required: $0.required, schema: schema($0.type)),
                description: $0.description)
        }
        return path + query + headers
    }

    static func responses(_ entry: OperationBook.Entry) throws -> OpenAPI.Response.Map {
        let doc = entry.doc
        var map = OpenAPI.Response.Map()
        let success: RouteAnswer
        if let declared = doc.success {
            success = declared
        } else if let output = entry.output {
            success = RouteAnswer(
                status: doc.status, description: doc.outcome ?? (doc.status == 201 ? "Created" : "OK"),
                content: output)
        } else {
            throw Mismatch(description: "\(entry.method) \(entry.path) answers neither JSONBody nor a declared success")
        }
        for answer in [success] + doc.answers {
            var headers: OpenAPI.Header.Map?
            if answer.retryAfter {
                headers = [
                    "Retry-After": .b(
                        OpenAPI.Header(schema: .integer, description: "Seconds until a request may succeed"))
                ]
            }
            map[.status(code: answer.status)] = .b(
                OpenAPI.Response(
                    description: answer.description, headers: headers,
                    content: answer.content.map(content) ?? [:]))
        }
        for shared in sharedAnswers(entry) where map[.status(code: shared.status)] == nil {
            map[.status(code: shared.status)] = .a(.component(named: shared.rawValue))
        }
        return map
    }

    /// The shared error answers a route gives by its shape: 401 and 403 when it needs a caller,
    /// 403 too for any write (a cookie-borne write from another site is refused before routing),
    /// 404 for a path naming a record, 415 for a JSON body, 400 and 422 for any input — and 400 on
    /// every route for a request carrying two credentials, refused before routing too.
    static func sharedAnswers(_ entry: OperationBook.Entry) -> [SharedAnswer] {
        let doc = entry.doc
        let beforeRouting: [SharedAnswer] = (SameOrigin.isUnsafe(entry.method) ? [.forbidden] : []) + [.badRequest]
        guard doc.problems else {
            return Array(Set(doc.alsoShared + beforeRouting)).sorted { $0.status < $1.status }
        }
        var answers: [SharedAnswer] = []
        if let access = entry.access {
            answers += access.isAnyCaller ? [.unauthenticated] : [.unauthenticated, .forbidden]
        }
        if entry.path.contains("{") { answers.append(.notFound) }
        if case .json = doc.body { answers.append(.unsupportedMediaType) }
        if case .jsonLD = doc.body { answers.append(.unsupportedMediaType) }
        if doc.body != nil || doc.parameters.contains(where: { $0.place == .query }) {
            answers.append(.validationFailed)
        }
        return Array(Set(answers + doc.alsoShared + beforeRouting)).sorted { $0.status < $1.status }
    }

    static func content(_ content: RouteContent) -> OpenAPI.Content.Map {
        let xml = OpenAPI.Content(schema: .string(description: "The same document as XML"))
        switch content {
        case .json(let name, _):
            return [.json: .b(OpenAPI.Content(schema: reference(name)))]
        case .jsonList(let name):
            return [.json: .b(OpenAPI.Content(schema: .array(items: reference(name))))]
        case .jsonOneOf(let names, let description):
            return [
                .json: .b(
                    OpenAPI.Content(schema: .one(of: names.map(reference), core: .init(description: description))))
            ]
        case .open311(let name, let list):
            return [
                .json: .b(OpenAPI.Content(schema: list ? .array(items: reference(name)) : reference(name))),
                .init(rawValue: "text/xml")!: .b(xml),
            ]
        case .form(let name):
            return [.init(rawValue: "application/x-www-form-urlencoded")!: .b(OpenAPI.Content(schema: reference(name)))]
        case .multipartFile:
            return [.multipartForm: .b(OpenAPI.Content(schema: reference("FileUpload")))]
        case .readings:
            return [
                .json: .b(OpenAPI.Content(schema: .array(items: reference("Reading")))),
                .init(rawValue: "application/x-ndjson")!: .b(OpenAPI.Content(schema: .string)),
                .csv: .b(OpenAPI.Content(schema: .string)),
            ]
        case .problem:
            return [.init(rawValue: "application/problem+json")!: .b(OpenAPI.Content(schema: reference("Problem")))]
        case .csv:
            return [.csv: .b(OpenAPI.Content(schema: .string))]
        case .text:
            return [.txt: .b(OpenAPI.Content(schema: .string))]
        case .binary:
            return [.any: .b(OpenAPI.Content(schema: .string(format: .other("binary"))))]
        case .eventStream:
            return [.init(rawValue: "text/event-stream")!: .b(OpenAPI.Content(schema: reference("ServerSentEvent")))]
        case .jsonLD(let name, let list):
            let content = OpenAPI.Content(schema: list ? .array(items: reference(name)) : reference(name))
            return [.json: .b(content), .init(rawValue: "application/ld+json")!: .b(content)]
        }
    }

    static func reference(_ name: String) -> JSONSchema {
        .reference(.component(named: name))
    }

    static func schema(_ type: ValueType) -> JSONSchema {
        switch type {
        case .string: .string
        case .pattern(let pattern): .string(pattern: pattern)
        case .integer(let minimum, let maximum, let defaultValue):
            .integer(
                maximum: maximum.map { ($0, exclusive: false) }, minimum: minimum.map { ($0, exclusive: false) },
                defaultValue: defaultValue.map { AnyCodable($0) })
        case .number: .number
        case .boolean: .boolean
        case .instant: .any(of: [.integer, .string], core: .init(description: "epoch ms or ISO 8601"))
        case .choice(let values, let defaultValue):
            .string(allowedValues: values.map { AnyCodable($0) }, defaultValue: defaultValue.map { AnyCodable($0) })
        case .named(let name): reference(name)
        }
    }
}
