import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Open311 GeoReport v2 (docs/domain.md §9) under the configured base path: discovery, services, a
/// service's definition, requests (list and submit), one request, and tokens — each as `.json`
/// or `.xml`. Reading is public, as the spec intends; submitting needs an app's `api_key` with
/// the `open311:submit` scope and keeps to that key's rate limit. Errors leave in the spec's own
/// format (not problem+json), in the format the client asked for.
struct Open311Controller {
    let platform: Platform
    let limiter: any RateLimits
    /// Submissions a minute from one address, whatever key they carry.
    var perAddressPerMinute = WebSettings().open311PerMinutePerAddress
    static let maxForm = 64 * 1024
    static let jurisdiction = RouteParameter.query(
        "jurisdiction_id", .string, "Optional; when given it must be this server's (chengyun.open311.jurisdictionId).")

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.onPublic(
            .get, ":resource",
            RouteDoc(
                "discovery.json|xml, services.json|xml, requests.json|xml — requests filtered by service_request_id (comma list, overrides the rest), service_code (comma list), start_date/end_date (W3C with zone, at most 90 days; the last 90 days by default) and status (open, closed); newest first, at most 1000.",
                .open311,
                parameters: [
                    .path(
                        "resource",
                        "discovery.json, discovery.xml, services.json, services.xml, requests.json or requests.xml"),
                    Self.jurisdiction,
                    .query("service_request_id", .string, "requests: ids, comma separated"),
                    .query("service_code", .string, "requests: service codes, comma separated"),
                    .query("start_date", .string, "requests: earliest requested_datetime"),
                    .query("end_date", .string, "requests: latest requested_datetime"),
                    .query("status", .string, "requests: open, closed"),
                ],
                success: .ok(
                    .open311("Open311Listing", list: false), "Discovery, the service list or the request list"),
                answers: [
                    .open311Error(400, "Bad date, date range over 90 days or bad status"),
                    .open311Error(404, "Unknown resource, format or jurisdiction"),
                ], problems: false)
        ) { request, context in
            try await answer(request, context) { _ in
                switch try Self.split(context.parameters.require("resource")).name {
                case "discovery": return (discovery(request), "discovery")
                case "services":
                    return (
                        .list(element: "service", try await platform.open311.services().map(\.document)), "services"
                    )
                case "requests":
                    let query = try Open311Query.parse(Self.parameters(request), now: platform.now())
                    return (try await requestList(platform.open311.requests(query)), "service_requests")
                default: throw Self.notFound
                }
            }
        }
        routes.onPublic(
            .get, "services/:code",
            RouteDoc(
                "A service's definition: its matter's custom fields as attributes (E0102.json or E0102.xml).", .open311,
                parameters: [
                    .path("code", "service code with the format, e.g. C0101.json"),
                    Self.jurisdiction,
                ], success: .ok(.open311("Open311ServiceDefinition", list: false), "Service definition"),
                answers: [.open311Error(404, "No such public service")], problems: false)
        ) { request, context in
            try await answer(request, context) { _ in
                (
                    try await platform.open311.definition(
                        code: try Self.split(context.parameters.require("code")).name), "service_definition"
                )
            }
        }
        routes.onPublic(
            .get, "requests/:id",
            RouteDoc(
                "One service request (its case number with the format, e.g. E0102202611220001.json).", .open311,
                parameters: [
                    .path("id", "service_request_id with the format"),
                    Self.jurisdiction,
                ], success: .ok(.open311("Open311Request", list: true), "A list holding the request"),
                answers: [.open311Error(404, "No such request")], problems: false)
        ) { request, context in
            try await answer(request, context) { _ in
                (
                    try await requestList([
                        platform.open311.request(id: try Self.split(context.parameters.require("id")).name)
                    ]), "service_requests"
                )
            }
        }
        routes.onPublic(
            .get, "tokens/:token",
            RouteDoc(
                "What an asynchronous submission's token became: service_request_id once intake has filed it.",
                .open311,
                parameters: [
                    .path("token", "token with the format"),
                    Self.jurisdiction,
                ], success: .ok(.open311("Open311Token", list: true), "The token, with service_request_id once filed"),
                answers: [.open311Error(404, "Unknown token, or a submission intake refused (the error says why)")],
                problems: false)
        ) { request, context in
            try await answer(request, context) { _ in
                let found = try await platform.open311.token(try Self.split(context.parameters.require("token")).name)
                var fields: [(String, Open311Document)] = []
                if let id = found.serviceRequestId { fields.append(("service_request_id", .text(id))) }
                fields.append(("token", .text(found.token)))
                return (.list(element: "request", [.object(fields)]), "service_requests")
            }
        }
        routes.onPublic(
            .post, ":resource",
            RouteDoc(
                "requests.json|xml: submit a service request (application/x-www-form-urlencoded with api_key). Becomes a case through the public channel, with duplicate merge; answers with service_request_id (the case number), or a token when intake is asynchronous (chengyun.open311.asyncIntake).",
                .open311, parameters: [.path("resource", "requests.json or requests.xml")], body: .form("Open311Form"),
                success: .ok(.open311("Open311Receipt", list: false), "Accepted (committed before the answer)"),
                answers: [
                    .open311Error(
                        400,
                        "A field is missing or wrong, the service is unknown, the position is outside the city's grid or the address cannot be placed"
                    ), .open311Error(403, "api_key missing, invalid, revoked or without the open311:submit scope"),
                    .open311Error(404, "Unknown resource or jurisdiction"),
                    .open311Error(413, "Form larger than 64 KB"),
                    .open311Error(429, "The key's rate limit is used up; see Retry-After"),
                ], problems: false)
        ) { request, context in
            var request = request
            return try await answer(request, context) { _ in
                guard try Self.split(context.parameters.require("resource")).name == "requests" else {
                    throw Self.notFound
                }
                let fromAddress = try await limiter.take(
                    key: "open311-address:\(context.clientAddress)", perMinute: perAddressPerMinute, at: platform.now())
                if fromAddress > 0 { throw RateLimited(retryAfterSeconds: Int((fromAddress + 999) / 1000)) }
                // The key travels in the form, where the spec puts it: a query string ends up in logs and proxies.
                if request.uri.queryParameters["api_key"] != nil {
                    throw Open311Errors(
                        Open311Error.badRequest(
                            "api_key_in_query", "Send api_key in the form body, not in the query string.")
                    )
                }
                let body = try await request.collectBody(upTo: Self.maxForm)
                guard let pairs = URLForm.parse(String(decoding: body.readableBytesView, as: UTF8.self)) else {
                    throw Open311Errors(
                        Open311Error.badRequest(
                            "invalid_form", "The body is not valid application/x-www-form-urlencoded UTF-8."))
                }
                let key = try await authenticate(pairs.first { $0.name == "api_key" }?.value)
                let retry = try await limiter.take(
                    key: key.id, perMinute: key.rateLimitPerMinute ?? platform.settings.open311.rateLimitPerMinute,
                    at: platform.now())
                if retry > 0 { throw RateLimited(retryAfterSeconds: Int((retry + 999) / 1000)) }
                let form = try Open311Submission.parse(pairs)
                return (try await platform.open311.submit(form, by: key).document, "service_requests")
            }
        }
        return routes
    }

    // MARK: Pieces

    static let notFound = Open311Errors(
        Open311Error.notFound("not_found", "No such Open311 resource; see discovery.json."))

    /// `services.json` → ("services", .json); anything but .json / .xml is not found.
    static func split(_ file: String) throws(Open311Errors) -> (name: String, format: Open311Format) {
        guard let dot = file.lastIndex(of: "."),
            let format = Open311Format(rawValue: String(file[file.index(after: dot)...]).lowercased())
        else {
            throw notFound
        }
        return (String(file[..<dot]), format)
    }

    static func parameters(_ request: Request) -> [String: String] {
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where parameters[String(name)] == nil {
            parameters[String(name)] = String(value)
        }
        return parameters
    }

    private func authenticate(_ presented: String?) async throws -> Principal {
        guard let presented, !presented.isEmpty else {
            throw Open311Errors(Open311Error.forbidden("api_key_missing", "Submitting a request needs an api_key."))
        }
        guard let key = try await platform.auth.authenticate(apiKey: presented) else {
            throw Open311Errors(
                Open311Error.forbidden("invalid_api_key", "The api_key is not valid or has been revoked."))
        }
        return key
    }

    private func requestList(_ requests: [Open311Request]) async throws -> Open311Document {
        let offset = try await platform.open311.utcOffsetMinutes()
        return .list(element: "request", requests.map { $0.document(utcOffsetMinutes: offset) })
    }

    /// Checks the jurisdiction and the format, runs the body, and writes its document — or the
    /// errors — in that format.
    private func answer(
        _ request: Request, _ context: AppRequestContext,
        _ body: (Open311Format) async throws -> (Open311Document, String)
    ) async throws -> Response {
        let file =
            context.parameters.get("resource") ?? context.parameters.get("code") ?? context.parameters.get("id")
            ?? context.parameters.get("token") ?? ""
        let format = (try? Self.split(file).format) ?? .json
        do {
            if let jurisdiction = Self.parameters(request)["jurisdiction_id"], !jurisdiction.isEmpty,
                jurisdiction != platform.settings.open311.jurisdictionId
            {
                throw Open311Errors(
                    Open311Error.notFound(
                        "jurisdiction_not_found",
                        "This server answers for jurisdiction \(platform.settings.open311.jurisdictionId)."))
            }
            let (document, root) = try await body(format)
            return Self.response(document, root: root, format: format, status: .ok)
        } catch let errors as Open311Errors {
            return Self.response(
                Open311Error.documents(errors.errors), root: "errors", format: format,
                status: .init(code: errors.status))
        } catch let limited as RateLimited {
            var response = Self.response(
                Open311Error.documents([
                    Open311Error(429, "rate_limited", "Too many requests; try again in \(limited.retryAfterSeconds) s.")
                ]),
                root: "errors", format: format, status: .tooManyRequests)
            response.headers[.retryAfter] = String(limited.retryAfterSeconds)
            return response
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return Self.response(
                Open311Error.documents([
                    Open311Error(413, "payload_too_large", "The form is larger than \(Self.maxForm / 1024) KB.")
                ]),
                root: "errors", format: format, status: .contentTooLarge)
        } catch is CancellationError {
            return Self.response(
                Open311Error.documents([
                    Open311Error(503, "shutting_down", "The server is stopping; try again shortly.")
                ]),
                root: "errors", format: format, status: .serviceUnavailable)
        } catch {
            context.logger.error("open311 failed", metadata: ["error": "\(loggedError(error))"])
            return Self.response(
                Open311Error.documents([
                    Open311Error(500, "internal_error", "Something went wrong on the server; it has been logged.")
                ]),
                root: "errors", format: format, status: .internalServerError)
        }
    }

    static func response(_ document: Open311Document, root: String, format: Open311Format, status: HTTPResponse.Status)
        -> Response
    {
        let text = format == .json ? document.json : document.xml(root: root)
        var headers = HTTPFields()
        headers[.contentType] = format == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8"
        // Civic web apps read the public lists from their own pages.
        headers[.accessControlAllowOrigin] = "*"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

enum Open311Format: String { case json, xml }

struct RateLimited: Error { var retryAfterSeconds: Int }
