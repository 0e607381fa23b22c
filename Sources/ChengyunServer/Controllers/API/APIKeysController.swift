import ChengyunCore
import ChengyunStore
import Hummingbird

/// Machine API keys for devices, gateways and other systems.
struct APIKeysController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "api-keys", .admin,
            RouteDoc("List machine API keys in scope", .people, parameters: [.cursor, .limit])
        ) { request, _, principal in
            JSONBody(try await platform.people.listAPIKeys(page: try request.pageRequest(), by: principal))
        }
        routes.on(
            .get, "api-keys/{id}", .admin,
            RouteDoc("Read an API key", .people, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.people.apiKey(id: try context.id(), by: principal))
        }
        routes.on(
            .post, "api-keys", .admin,
            RouteDoc(
                "Issue a machine API key (the secret is shown once)", .people, body: .json(NewAPIKey.self), status: 201)
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewAPIKey.self, context: context)
            return JSONBody(try await platform.people.createAPIKey(input, by: principal), status: .created)
        }
        routes.on(
            .delete, "api-keys/{id}", .admin,
            RouteDoc("Revoke an API key", .people, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.people.revokeAPIKey(id: try context.id(), by: principal))
        }
        return routes
    }
}
