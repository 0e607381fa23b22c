import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird

/// The CKAN door (CKAN Action API 3, a read-only subset) over the data catalog, so CKAN's
/// clients and harvesters read it as they read any CKAN site: `package_list`, `package_show`,
/// `package_search`, `organization_list`, `resource_show`, `datastore_search` and `status_show`,
/// by GET with query parameters or by POST with a JSON object, at `/api/3/action/…` and
/// `/api/action/…`. Published metadata is public, as CKAN's public datasets are; records are
/// public when the dataset is open. Answers and errors are CKAN's envelope (`success`, `result`,
/// `error.__type`), not problem documents.
struct CKANController {
    let platform: Platform
    let limiter: any RateLimits
    /// Calls a minute from one address: the door is public.
    var perAddressPerMinute = 600

    static let maxBody = 64 * 1024
    static let maxRows = 1000

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        for prefix in ["api/3/action", "api/action"] {
            for method in [HTTPRequest.Method.get, .post] {
                routes.onPublic(
                    method, RouterPath("\(prefix)/{action}"),
                    RouteDoc(
                        "CKAN action \(method == .get ? "(parameters in the query, form-encoded)" : "(parameters as a JSON object)"): package_list (limit, offset), package_show (id: code or id), package_search (q words, fq with tags:, organization: and dataset_type:, rows up to 1000, start), organization_list (all_fields), resource_show (id), datastore_search (resource_id, filters, limit, offset; open datasets, and others to a consumer whose access application was approved, its key in the Authorization header as CKAN clients send it, within its fields, rate and daily quota), status_show. Published metadata only; the catalog's terms (sharing_type, open_type, update_cycle, sharing_condition, spatial, lineage) are in extras. At most 600 calls a minute from one address.",
                        .ckan, parameters: [.path("action", "the action's name, e.g. package_search")],
                        body: method == .post ? .json("CKANParameters") : nil,
                        success: .ok(.json("CKANAnswer"), "success true and the action's result"),
                        answers: [
                            .ok(.json("CKANAnswer"), "Bad Request: an action this door does not know", status: 400),
                            .ok(
                                .json("CKANAnswer"), "Authorization Error: records not open to the public", status: 403),
                            .ok(.json("CKANAnswer"), "Not Found Error", status: 404),
                            .ok(.json("CKANAnswer"), "Validation Error or Search Query Error", status: 409),
                            .ok(.json("CKANAnswer"), "Bad Request: a body over 64 KB", status: 413),
                            .ok(
                                .json("CKANAnswer"),
                                "Rate Limit: too many calls from this address, or a grant's rate or daily quota used up",
                                status: 429),
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
        let fail = { (status: HTTPResponse.Status, type: String, message: String) in
            Self.response(status, CKANAnswer(help: help, success: false, error: .init(type: type, message: message)))
        }
        do {
            let wait = try await limiter.take(
                key: "ckan-address:\(context.clientAddress)", perMinute: perAddressPerMinute, at: platform.now())
            if wait > 0 {
                var answer = fail(
                    .tooManyRequests, "Rate Limit", "Too many calls from this address; try again shortly.")
                answer.headers[.retryAfter] = String((wait + 999) / 1000)
                return answer
            }
            let parameters = try await CKANParameters.read(request, maxBody: Self.maxBody)
            let result = try await run(action, parameters, host: host, by: context.principal)
            return Self.response(.ok, CKANAnswer(help: help, success: true, result: result))
        } catch let error as CKANFailure {
            return Self.response(error.status, CKANAnswer(help: help, success: false, error: error.error))
        } catch let error as DomainError {
            switch error.kind {
            case .notFound: return fail(.notFound, "Not Found Error", "Not found: \(error.message)")
            case .invalid: return fail(.conflict, "Validation Error", error.message)
            case .tooMany:
                var answer = fail(.tooManyRequests, "Rate Limit", error.message)
                answer.headers[.retryAfter] = error.retryAfterSeconds.map(String.init)
                return answer
            default: return fail(.forbidden, "Authorization Error", error.message)
            }
        } catch {
            // A fault of the server's: said as one, its details kept to the log.
            context.logger.error("CKAN action \(action) failed: \(loggedError(error))")
            return fail(.internalServerError, "Internal Server Error", "The action failed; try again later.")
        }
    }

    private func run(_ action: String, _ parameters: CKANParameters, host: String, by principal: Principal?)
        async throws -> CKANResult
    {
        let catalog = platform.dataCatalog
        switch action {
        case "status_show":
            return .status(CKANStatus(siteUrl: "http://\(host)"))
        case "package_list":
            let offset = try parameters.int("offset", default: 0)
            guard parameters.values["limit"] != nil else { return .names(try await allNames(from: offset)) }
            let limit = min(try parameters.int("limit", default: Self.maxRows), Self.maxRows)
            return .names(
                try await catalog.search(published, offset: offset, limit: limit, by: nil).datasets.map(\.code))
        case "package_show":
            return .package(
                CKANPackage(try await catalog.published(codeOrId: try parameters.required("id")), host: host))
        case "resource_show":
            let id = try parameters.required("id")
            let dataset = try await catalog.published(codeOrId: String(id.prefix { $0 != "-" }))
            guard let resource = CKANPackage(dataset, host: host).resources.first(where: { $0.id == id }) else {
                throw DomainError.notFound("Resource \(id)")
            }
            return .resource(resource)
        case "package_search":
            return .search(try await search(parameters, host: host))
        case "datastore_search":
            return .datastore(try await datastore(parameters, by: principal))
        case "organization_list":
            let organizations = try await organizations()
            return try parameters.bool("all_fields") ? .organizations(organizations) : .names(organizations.map(\.name))
        default:
            throw CKANFailure(.badRequest, "Bad Request", "Bad request - Action name not known: \(action)")
        }
    }

    var published: DataCatalogService.Query { .init(states: [.published]) }

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
