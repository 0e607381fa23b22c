import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird

/// The CKAN door (CKAN Action API 3, a read-only subset) over the data catalog, so CKAN's
/// clients and harvesters read it as they read any CKAN site: `package_list`, `package_show`,
/// `package_search`, `organization_list`, `resource_show` and `status_show`, by GET with query
/// parameters or by POST with a JSON object, at `/api/3/action/…` and `/api/action/…`. Published
/// metadata is public, as CKAN's public datasets are. Answers and errors are CKAN's envelope
/// (`success`, `result`, `error.__type`), not problem documents.
struct CKANController {
    let platform: Platform

    static let maxBody = 64 * 1024
    static let maxRows = 1000

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        for prefix in ["api/3/action", "api/action"] {
            for method in [HTTPRequest.Method.get, .post] {
                routes.onPublic(
                    method, RouterPath("\(prefix)/{action}"),
                    RouteDoc(
                        "CKAN action \(method == .get ? "(parameters in the query)" : "(parameters as a JSON object)"): package_list (limit, offset), package_show (id: code or id), package_search (q, fq with tags: or organization:, rows ≤ 1000, start), organization_list (all_fields), resource_show (id), status_show. Published metadata only; the catalog's terms (sharing_type, open_type, update_cycle, sharing_condition, spatial, lineage) are in extras.",
                        .ckan, parameters: [.path("action", "the action's name, e.g. package_search")],
                        body: method == .post ? .json("CKANParameters") : nil,
                        success: .ok(.json("CKANAnswer"), "success true and the action's result"),
                        answers: [
                            .ok(.json("CKANAnswer"), "Bad Request: an action this door does not know", status: 400),
                            .ok(.json("CKANAnswer"), "Not Found Error", status: 404),
                            .ok(.json("CKANAnswer"), "Validation Error or Search Query Error", status: 409),
                        ], problems: false)
                ) { request, context in
                    await answer(request, context)
                }
            }
        }
        return routes
    }

    func answer(_ request: Request, _ context: AppRequestContext) async -> Response {
        let action = context.parameters.get("action") ?? ""
        let host = request.head.authority ?? "localhost"
        let help = "http://\(host)/api/3/action/help_show?name=\(action)"
        do {
            let parameters = try await Self.parameters(of: request, context: context)
            let result = try await run(action, CKANParameters(values: parameters), host: host)
            return Self.response(.ok, CKANAnswer(help: help, success: true, result: result))
        } catch let error as CKANFailure {
            return Self.response(error.status, CKANAnswer(help: help, success: false, error: error.error))
        } catch let error as DomainError where error.kind == .notFound {
            return Self.response(
                .notFound,
                .init(
                    help: help, success: false,
                    error: .init(type: "Not Found Error", message: "Not found: \(error.message)")))
        } catch {
            let message = (error as? DomainError)?.message ?? "\(error)"
            return Self.response(
                .conflict, .init(help: help, success: false, error: .init(type: "Validation Error", message: message)))
        }
    }

    private func run(_ action: String, _ parameters: CKANParameters, host: String) async throws -> CKANResult {
        let catalog = platform.dataCatalog
        switch action {
        case "status_show":
            return .status(CKANStatus(siteUrl: "http://\(host)"))
        case "package_list":
            let limit = try parameters.int("limit", default: Self.maxRows, in: 0...Self.maxRows)
            let offset = try parameters.int("offset", default: 0, in: 0...Int.max)
            return .names(
                try await catalog.search(published, offset: offset, limit: limit, by: nil).datasets.map(\.code))
        case "package_show":
            return .package(package(try await catalog.published(codeOrId: try parameters.required("id")), host: host))
        case "resource_show":
            let id = try parameters.required("id")
            guard id.hasSuffix("-schema") else { throw DomainError.notFound("Resource \(id)") }
            let dataset = try await catalog.published(codeOrId: String(id.dropLast("-schema".count)))
            return .resource(package(dataset, host: host).resources[0])
        case "package_search":
            return .search(try await search(parameters, host: host))
        case "organization_list":
            let organizations = try await organizations()
            return try parameters.bool("all_fields") ? .organizations(organizations) : .names(organizations.map(\.name))
        default:
            throw CKANFailure(.badRequest, "Bad Request", "Bad request - Action name not known: \(action)")
        }
    }

    private var published: DataCatalogService.Query { .init(states: [.published]) }

    private func search(_ parameters: CKANParameters, host: String) async throws -> CKANSearch {
        var query = published
        let text = parameters.values["q"] ?? ""
        query.text = text == "*:*" ? nil : text
        for clause in (parameters.values["fq"] ?? "").split(separator: " ").filter({ !$0.isEmpty }) {
            let parts = clause.split(separator: ":", maxSplits: 1).map {
                $0.trimmingCharacters(in: .init(charactersIn: "\"+"))
            }
            guard parts.count == 2 else { throw CKANFailure.searchQuery("fq clause \(clause) is not field:value") }
            switch parts[0] {
            case "tags": query.tag = parts[1]
            case "organization", "owner_org":
                guard let owner = try await organizations().first(where: { $0.name == parts[1] || $0.id == parts[1] })
                else { return CKANSearch(count: 0, results: []) }
                query.ownerDepartmentId = owner.id
            default: throw CKANFailure.searchQuery("fq field \(parts[0]) is not searchable here (tags, organization)")
            }
        }
        let rows = try parameters.int("rows", default: 10, in: 0...Self.maxRows)
        let start = try parameters.int("start", default: 0, in: 0...Int.max)
        let found = try await platform.dataCatalog.search(query, offset: start, limit: rows, by: nil)
        return CKANSearch(count: found.count, results: found.datasets.map { package($0, host: host) })
    }

    /// The owners of published datasets, with how many each has.
    private func organizations() async throws -> [CKANOrganization] {
        var counts: [String: (Dataset, Int)] = [:]
        var offset = 0
        while true {
            let page = try await platform.dataCatalog.search(published, offset: offset, limit: 500, by: nil).datasets
            for dataset in page {
                let key = dataset.ownerDepartmentId ?? DataCatalogService.centreCode
                counts[key] = (dataset, (counts[key]?.1 ?? 0) + 1)
            }
            guard page.count == 500 else { break }
            offset += 500
        }
        return counts.values.map { CKANOrganization($0.0, count: $0.1) }.sorted { $0.name < $1.name }
    }

    private func package(_ dataset: Dataset, host: String) -> CKANPackage {
        CKANPackage(dataset, schemaURL: "http://\(host)/api/v1/public/datasets/\(dataset.code)/schema")
    }

    /// The action's parameters: the query's, and a POSTed JSON object's over them.
    static func parameters(of request: Request, context: AppRequestContext) async throws -> [String: String] {
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { values[String(name)] = String(value) }
        guard request.method == .post else { return values }
        var request = request
        let buffer = try await request.collectBody(upTo: maxBody)
        guard buffer.readableBytes > 0 else { return values }
        guard let object = try? JSONDecoder().decode([String: CKANScalar].self, from: Data(buffer: buffer)) else {
            throw CKANFailure(
                .badRequest, "Bad Request",
                "Bad request - JSON Error: send a JSON object of strings, numbers and booleans")
        }
        for (name, value) in object { values[name] = value.text }
        return values
    }

    static func response(_ status: HTTPResponse.Status, _ answer: CKANAnswer) -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(answer)) ?? Data("{\"success\":false}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
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

/// A parameter's value in a POSTed body: clients send numbers and booleans as JSON's own.
struct CKANScalar: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if let flag = try? value.decode(Bool.self) {
            text = flag ? "true" : "false"
        } else if let whole = try? value.decode(Int.self) {
            text = String(whole)
        } else if let number = try? value.decode(Double.self) {
            text = String(number)
        } else {
            text = try value.decode(String.self)
        }
    }
}

/// An action's parameters, read as CKAN reads them.
struct CKANParameters {
    var values: [String: String]

    func required(_ name: String) throws -> String {
        guard let value = values[name], !value.isEmpty else {
            throw CKANFailure(.conflict, "Validation Error", "\(name): Missing value")
        }
        return value
    }

    func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let raw = values[name] else { return fallback }
        guard let value = Int(raw), range.contains(value) else {
            throw CKANFailure(
                .conflict, "Validation Error", "\(name): a whole number from \(range.lowerBound) to \(range.upperBound)"
            )
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
}
