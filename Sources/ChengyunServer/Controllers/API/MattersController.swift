import ChengyunCore
import ChengyunStore
import Hummingbird

extension WorkCalendar: StrictInput {
    public typealias Fields = CodingKeys
}

/// The matter catalogue, its file import and export, the work calendar and routing rules.
struct MattersController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        // Citizens and machines see the public matters; staff see all of them.
        routes.on(.get, "matters", .authenticated) { request, _, principal in
            let publicOnly = principal.kind != .staff || request.query("public") == "true"
            return JSONBody(Listing(items: try await platform.matters.all(publicOnly: publicOnly)))
        }
        routes.on(.get, "matters/export", .admin) { _, _, _ in
            JSONBody(try await platform.matters.exportCatalogue())
        }
        routes.on(.post, "matters/import", .platformAdmin) { request, context, principal in
            let file = try await request.decodeStrict(MatterCatalogueFile.self, context: context)
            return JSONBody(try await platform.matters.importCatalogue(file, by: principal))
        }
        routes.on(.get, "matters/{id}", .authenticated) { _, context, principal in
            let matter = try await platform.matters.matter(id: try context.id())
            guard principal.kind == .staff || matter.isPublic else { throw DomainError.notFound("Matter") }
            return JSONBody(matter)
        }
        routes.on(.get, "matters/{id}/versions", .allStaff) { _, context, _ in
            JSONBody(Listing(items: try await platform.matters.versions(id: try context.id())))
        }
        routes.on(.post, "matters", .platformAdmin) { request, context, principal in
            let input = try await request.decodeStrict(MatterInput.self, context: context)
            return JSONBody(try await platform.matters.create(input, by: principal), status: .created)
        }
        routes.on(.put, "matters/{id}", .platformAdmin) { request, context, principal in
            let input = try await request.decodeStrict(MatterInput.self, context: context)
            return JSONBody(try await platform.matters.update(id: try context.id(), input, by: principal))
        }
        routes.on(.get, "calendar", .allStaff) { _, _, _ in
            JSONBody(try await platform.matters.calendar())
        }
        routes.on(.put, "calendar", .platformAdmin) { request, context, principal in
            let calendar = try await request.decodeStrict(WorkCalendar.self, context: context)
            return JSONBody(try await platform.matters.saveCalendar(calendar, by: principal))
        }
        routes.on(.get, "routing-rules", .staff([.admin, .dispatcher, .supervisor, .leader])) { _, _, principal in
            JSONBody(Listing(items: try await platform.matters.rules(by: principal)))
        }
        routes.on(.post, "routing-rules", .admin) { request, context, principal in
            let input = try await request.decodeStrict(NewRoutingRule.self, context: context)
            return JSONBody(try await platform.matters.addRule(input, by: principal), status: .created)
        }
        routes.on(.delete, "routing-rules/{id}", .admin) { _, context, principal in
            try await platform.matters.deleteRule(id: try context.id(), by: principal)
            return Response.noContent()
        }
        return routes
    }
}
