import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird

/// The service gateway (服务路由): calls to a registered, published external service, routed
/// below its base URL by grant, metered and logged as a dataset's records are read.
struct ServicesController {
    let platform: Platform
    static let callers = Access.any([.allStaff, .key(.dataRead)])

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        for method in [HTTPRequest.Method.get, .post] {
            routes.on(
                method, "services/{code}/call/**", Self.callers,
                RouteDoc(
                    "Call a registered service through the gateway (\(method.rawValue)): the path after call/ and the query go below its base URL. Its owner and the centre call it; any staff when it is shared unconditionally; else a grant (a department's, or its key with scope data:read), each call counted against the grant's rate and daily quota and logged. The answer is the service's (its status below 500, its content type); the caller's credentials are not passed on.",
                    .datahub, parameters: [DatasetsController.code],
                    body: method == .post ? .binary : nil,
                    success: .ok(.binary, "The service's answer, as it gave it"),
                    answers: [
                        .problem(403, "not_shared_with_you"), .problem(409, "not_a_service"),
                        .problem(413, "payload_too_large (1 MB)"),
                        .rateLimited("rate_limited or quota_exhausted: the grant's limits"),
                        .problem(
                            502,
                            "upstream_unreachable, upstream_failed (5xx or a redirect), upstream_too_large (10 MB), upstream_forbidden (its host stands for a link-local or unspecified address)"
                        ),
                        .problem(504, "upstream_timeout"),
                    ], alsoShared: [.badRequest])
            ) { request, context, principal in
                try await call(request, context, principal, method: method == .post ? .POST : .GET)
            }
        }
        return routes
    }

    private func call(_ request: Request, _ context: AppRequestContext, _ principal: Principal, method: ServiceMethod)
        async throws -> Response
    {
        var body: Data?
        if method == .POST {
            var request = request
            do {
                body = Data(buffer: try await request.collectBody(upTo: ServiceGateway.maxBodyBytes))
            } catch {
                throw Problem(
                    status: .contentTooLarge, code: "payload_too_large", detail: "A call's body is at most 1 MB.")
            }
        }
        let path = context.parameters.getCatchAll().joined(separator: "/")
        let answer = try await platform.services.call(
            code: try context.parameters.require("code"),
            .init(
                method: method, path: path, query: request.uri.query, body: body,
                contentType: request.headers[.contentType], accept: request.headers[.accept]),
            by: principal)
        var headers = HTTPFields()
        headers[.contentType] = answer.contentType ?? "application/octet-stream"
        // Another system's answer, served from the platform's origin: never a page that runs here.
        headers[.contentSecurityPolicy] = "sandbox; default-src 'none'"
        return Response(
            status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(data: answer.body))
        )
    }
}
