import ChengyunCore
import ChengyunStore
import Hummingbird

/// Administrative areas: every staff member reads those in scope; admins create and rename.
struct AreasController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "areas", .allStaff,
            RouteDoc(
                "List areas in scope", .organisation,
                parameters: [.query("level", .named(AreaLevel.self)), .query("parentId"), .cursor, .limit])
        ) { request, _, principal in
            JSONBody(
                try await platform.organisation.listAreas(
                    level: try request.queryEnum("level", AreaLevel.self), parentId: request.query("parentId"),
                    page: try request.pageRequest(), by: principal))
        }
        routes.on(
            .get, "areas/{id}", .allStaff,
            RouteDoc("Read an area", .organisation, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.organisation.area(id: try context.id(), by: principal))
        }
        routes.on(
            .post, "areas", .admin,
            RouteDoc(
                "Create an area under a parent in scope", .organisation, body: .json(NewArea.self), status: 201,
                answers: [.problem(409, "Conflict (duplicate code or name)")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewArea.self, context: context)
            return JSONBody(try await platform.organisation.createArea(input, by: principal), status: .created)
        }
        routes.on(.patch, "areas/{id}", .admin, RouteDoc("Rename an area", .organisation, body: .json(AreaChange.self)))
        { request, context, principal in
            let change = try await request.decodeStrict(AreaChange.self, context: context)
            return JSONBody(try await platform.organisation.renameArea(id: try context.id(), change, by: principal))
        }
        return routes
    }
}
