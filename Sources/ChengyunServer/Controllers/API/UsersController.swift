import ChengyunCore
import ChengyunStore
import Hummingbird

/// Staff accounts, managed by administrators within their scope.
struct UsersController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(.get, "users", .admin) { request, _, principal in
            JSONBody(
                try await platform.people.listUsers(
                    role: try request.queryEnum("role", Role.self), departmentId: request.query("departmentId"),
                    page: try request.pageRequest(), by: principal))
        }
        routes.on(.get, "users/{id}", .admin) { _, context, principal in
            JSONBody(try await platform.people.user(id: try context.id(), by: principal))
        }
        routes.on(.post, "users", .admin) { request, context, principal in
            let input = try await request.decodeStrict(NewUser.self, context: context)
            return JSONBody(try await platform.people.createUser(input, by: principal), status: .created)
        }
        routes.on(.patch, "users/{id}", .admin) { request, context, principal in
            let change = try await request.decodeStrict(UserChange.self, context: context)
            return JSONBody(try await platform.people.updateUser(id: try context.id(), change, by: principal))
        }
        routes.on(.put, "users/{id}/password", .admin) { request, context, principal in
            let reset = try await request.decodeStrict(PasswordReset.self, context: context)
            return JSONBody(
                try await platform.people.resetPassword(id: try context.id(), to: reset.password, by: principal))
        }
        routes.on(.post, "users/{id}/unlock", .admin) { _, context, principal in
            JSONBody(try await platform.people.unlock(id: try context.id(), by: principal))
        }
        return routes
    }
}
