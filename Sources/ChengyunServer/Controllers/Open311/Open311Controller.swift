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
    let limiter: RateLimiter
    /// Submissions a minute from one address, whatever key they carry.
    var perAddressPerMinute = WebSettings().open311PerMinutePerAddress
    static let maxForm = 64 * 1024

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get(":resource") { request, context in
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
        routes.get("services/:code") { request, context in
            try await answer(request, context) { _ in
                (
                    try await platform.open311.definition(
                        code: try Self.split(context.parameters.require("code")).name), "service_definition"
                )
            }
        }
        routes.get("requests/:id") { request, context in
            try await answer(request, context) { _ in
                (
                    try await requestList([
                        platform.open311.request(id: try Self.split(context.parameters.require("id")).name)
                    ]), "service_requests"
                )
            }
        }
        routes.get("tokens/:token") { request, context in
            try await answer(request, context) { _ in
                let found = try await platform.open311.token(try Self.split(context.parameters.require("token")).name)
                var fields: [(String, Open311Document)] = []
                if let id = found.serviceRequestId { fields.append(("service_request_id", .text(id))) }
                fields.append(("token", .text(found.token)))
                return (.list(element: "request", [.object(fields)]), "service_requests")
            }
        }
        routes.post(":resource") { request, context in
            var request = request
            return try await answer(request, context) { _ in
                guard try Self.split(context.parameters.require("resource")).name == "requests" else {
                    throw Self.notFound
                }
                let fromAddress = limiter.take(
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
                let retry = limiter.take(
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

    private func discovery(_ request: Request) -> Open311Document {
        let host = request.head.authority ?? "localhost"
        let base = "http://\(host)/\(platform.settings.open311.basePath)"
        return .object([
            ("changeset", .text("2026-11-22T00:00:00+08:00")), ("contact", .text(platform.settings.open311.contact)),
            (
                "key_service",
                .text("Ask the city operation centre's administrator for an API key with the open311:submit scope.")
            ),
            (
                "endpoints",
                .list(
                    element: "endpoint",
                    [
                        .object([
                            ("specification", .text("http://wiki.open311.org/GeoReport_v2")), ("url", .text(base)),
                            ("changeset", .text("2026-11-22T00:00:00+08:00")), ("type", .text("production")),
                            ("formats", .list(element: "format", [.text("application/json"), .text("text/xml")])),
                        ])
                    ])
            ),
        ])
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
            context.logger.error("open311 failed", metadata: ["error": "\(String(reflecting: error))"])
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
