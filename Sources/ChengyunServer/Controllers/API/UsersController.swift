import ChengyunCore
import ChengyunStore
import Hummingbird

/// Staff accounts, managed by administrators within their scope.
struct UsersController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "users", .admin,
            RouteDoc(
                "List staff users in scope", .people,
                parameters: [.query("role", .named(Role.self)), .query("departmentId"), .cursor, .limit])
        ) { request, _, principal in
            JSONBody(
                try await platform.people.listUsers(
                    role: try request.queryEnum("role", Role.self), departmentId: request.query("departmentId"),
                    page: try request.pageRequest(), by: principal))
        }
        routes.on(
            .get, "users/{id}", .admin, RouteDoc("Read a user", .people, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.people.user(id: try context.id(), by: principal))
        }
        routes.on(
            .post, "users", .admin,
            RouteDoc(
                "Create a staff user", .people, body: .json(NewUser.self), status: 201,
                answers: [.problem(409, "Conflict (duplicate code or name)")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewUser.self, context: context)
            return JSONBody(try await platform.people.createUser(input, by: principal), status: .created)
        }
        routes.on(
            .patch, "users/{id}", .admin,
            RouteDoc("Change a user's profile, roles, area or activity", .people, body: .json(UserChange.self))
        ) { request, context, principal in
            let change = try await request.decodeStrict(UserChange.self, context: context)
            return JSONBody(try await platform.people.updateUser(id: try context.id(), change, by: principal))
        }
        routes.on(
            .put, "users/{id}/password", .admin,
            RouteDoc(
                "Set a user's password (ends their sessions, lifts a lock)", .people, body: .json(PasswordReset.self))
        ) { request, context, principal in
            let reset = try await request.decodeStrict(PasswordReset.self, context: context)
            return JSONBody(
                try await platform.people.resetPassword(id: try context.id(), to: reset.password, by: principal))
        }
        routes.on(
            .post, "users/{id}/unlock", .admin,
            RouteDoc("Lift a lockout", .people, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.people.unlock(id: try context.id(), by: principal))
        }
        return routes
    }
}
