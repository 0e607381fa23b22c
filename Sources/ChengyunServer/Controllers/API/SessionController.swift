import ChengyunCore
import ChengyunStore
import Hummingbird

/// Login and logout for staff and citizens, the caller's own profile, citizen registration.
struct SessionController {
    let platform: Platform
    let web: WebSettings
    let throttle: Throttle

    struct LoginAnswer: Encodable, Sendable {
        var token: String
        var expiresAt: Int64
        var me: Me
    }

    /// Who the caller is, as the web shell needs it to draw its navigation.
    struct Me: Encodable, Sendable {
        var kind: Principal.Kind
        var id: String
        var name: String
        var displayName: String
        var roles: [Role]
        var keyScopes: [KeyScope]
        var areaId: String?
        var areaPath: String?
        var departmentId: String?
    }

    struct CitizenCredentials: StrictInput {
        var phone: String
        var password: String
        enum CodingKeys: String, CodingKey, CaseIterable { case phone, password }
        typealias Fields = CodingKeys
    }

    /// What a login can answer besides a session.
    static let loginAnswers: [RouteAnswer] = [
        .problem(
            401, "invalid_credentials: unknown name, wrong password, inactive or locked account (one answer for all)"),
        .rateLimited("rate_limited: too many logins from this address or for this account"),
    ]

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.onPublic(
            .post, "session",
            RouteDoc(
                "Staff login: answers a bearer token and sets the session cookie", .session,
                body: .json(Credentials.self), success: .ok(.json(LoginAnswer.self)),
                answers: Self.loginAnswers)
        ) { request, context in
            let credentials = try await request.decodeStrict(Credentials.self, context: context)
            try await throttle.check([
                ("login:\(context.clientAddress)", web.loginsPerMinutePerAddress),
                ("login-account:\(credentials.username.lowercased())", web.loginsPerMinutePerAccount),
            ])
            let result = try await platform.auth.loginStaff(
                username: credentials.username, password: credentials.password)
            return try login(result, request: request, context: context)
        }
        routes.onPublic(
            .post, "citizen-session",
            RouteDoc(
                "Citizen login by phone number", .session, body: .json(CitizenCredentials.self),
                success: .ok(.json(LoginAnswer.self)),
                answers: Self.loginAnswers)
        ) { request, context in
            let credentials = try await request.decodeStrict(CitizenCredentials.self, context: context)
            try await throttle.check([
                ("login:\(context.clientAddress)", web.loginsPerMinutePerAddress),
                ("login-citizen:\(credentials.phone)", web.loginsPerMinutePerAccount),
            ])
            let result = try await platform.auth.loginCitizen(phone: credentials.phone, password: credentials.password)
            return try login(result, request: request, context: context)
        }
        routes.onPublic(
            .post, "citizens",
            RouteDoc(
                "Register a citizen account", .session, body: .json(NewCitizen.self), status: 201,
                answers: [
                    .problem(409, "Conflict (duplicate code or name)"),
                    .rateLimited("rate_limited: too many registrations from this address"),
                ])
        ) { request, context in
            let input = try await request.decodeStrict(NewCitizen.self, context: context)
            try await throttle.check([("register:\(context.clientAddress)", web.registrationsPerMinutePerAddress)])
            return JSONBody(try await platform.people.registerCitizen(input), status: .created)
        }
        routes.on(
            .delete, "session", .authenticated,
            RouteDoc(
                "Log out the current session", .session, status: 204, success: .ok(nil, "Logged out", status: 204),
                answers: [.problem(403, "cross_site_request: a cookie-borne write not from the platform's own pages")])
        ) { _, context, principal in
            if let token = context.sessionToken { try await platform.auth.logout(token: token, by: principal) }
            var response = Response.noContent()
            response.headers[.setCookie] =
                "\(AuthMiddleware.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax\(web.secureCookie ? "; Secure" : "")"
            return response
        }
        routes.on(.get, "me", .authenticated, RouteDoc("Who am I: kind, roles, area scope", .session)) {
            _, _, principal in
            JSONBody(try await me(principal))
        }
        routes.on(
            .post, "me/password", .allStaff,
            RouteDoc(
                "Change my own password", .session, body: .json(PasswordChange.self), status: 204,
                success: .ok(nil, "Changed", status: 204))
        ) { request, context, principal in
            let change = try await request.decodeStrict(PasswordChange.self, context: context)
            try await platform.people.changeOwnPassword(change, by: principal, session: context.sessionToken)
            return Response.noContent()
        }
        return routes
    }

    private func login(_ result: AuthService.LoginResult, request: Request, context: AppRequestContext) throws
        -> Response
    {
        let displayName = result.user?.displayName ?? result.citizen?.displayName ?? result.principal.name
        let answer = LoginAnswer(
            token: result.token, expiresAt: result.expiresAt,
            me: Self.me(result.principal, displayName: displayName))
        var response = try JSONBody(answer).response(from: request, context: context)
        let maxAge = platform.settings.sessionMillis / 1000
        response.headers[.setCookie] =
            "\(AuthMiddleware.cookieName)=\(result.token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(web.secureCookie ? "; Secure" : "")"
        return response
    }

    private func me(_ principal: Principal) async throws -> Me {
        var displayName = principal.name
        if principal.kind == .staff, let user = try? await platform.people.user(id: principal.id, by: principal) {
            displayName = user.displayName
        }
        return Self.me(principal, displayName: displayName)
    }

    static func me(_ principal: Principal, displayName: String) -> Me {
        Me(
            kind: principal.kind, id: principal.id, name: principal.name, displayName: displayName,
            roles: principal.roles.sorted(), keyScopes: principal.keyScopes.sorted { $0.rawValue < $1.rawValue },
            areaId: principal.scope?.areaId, areaPath: principal.scope?.path, departmentId: principal.departmentId)
    }
}
