import ChengyunCore
import ChengyunStore
import HTTPTypes
import Hummingbird
import Logging

/// Finds the principal behind a request: an API key (`X-API-Key`, a bearer token starting
/// `cyk_`, or an `Authorization` header that is the key itself, as CKAN clients send it), a bearer session token, or the browser's session cookie. Invalid credentials leave
/// the request anonymous; the route then answers 401. A cookie-borne write must come from the
/// platform's own pages (`SameOrigin`). A request carrying two credentials in its headers (a key
/// and a token, or a header twice) is refused: whichever one won, the caller could not tell whose
/// rights it acted with. The cookie a browser sends on its own gives way to a header credential,
/// and an `Authorization` this does not read (Basic, for a proxy in front) is no credential here.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "chengyun_session"
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!

    let auth: AuthService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        // Only what this middleware reads counts: a Basic header for a proxy in front is not ours.
        let authorizations = request.headers[values: .authorization].filter {
            $0.hasPrefix("Bearer ") || $0.hasPrefix("cyk_")
        }
        let presented = request.headers[values: Self.apiKeyHeader].count + authorizations.count
        if presented > 1 {
            throw Problem(
                status: .badRequest, code: "ambiguous_credentials",
                detail: "Send one credential: an API key (X-API-Key) or an Authorization header, once.")
        }
        if let key = request.headers[Self.apiKeyHeader] {
            context.principal = try await auth.authenticate(apiKey: key)
        } else if let authorization = authorizations.first, authorization.hasPrefix("Bearer ") {
            let token = String(authorization.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
            if token.hasPrefix("cyk_") {
                context.principal = try await auth.authenticate(apiKey: token)
            } else {
                context.principal = try await auth.authenticate(token: token)
                context.sessionToken = context.principal == nil ? nil : token
            }
        } else if let authorization = authorizations.first, authorization.hasPrefix("cyk_") {
            // A key as CKAN clients send theirs: the header's whole value.
            context.principal = try await auth.authenticate(apiKey: authorization)
        } else if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty {
            try SameOrigin.check(request)
            context.principal = try await auth.authenticate(token: token)
            context.sessionToken = context.principal == nil ? nil : token
        }
        return try await next(request, context)
    }
}

import Foundation
