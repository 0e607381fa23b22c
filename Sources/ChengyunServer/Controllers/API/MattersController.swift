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
        routes.on(
            .get, "matters", .authenticated,
            RouteDoc(
                "The matter catalogue (citizens and keys see the public matters)", .catalogue,
                parameters: [.query("public", .boolean)])
        ) { request, _, principal in
            let publicOnly = principal.kind != .staff || request.query("public") == "true"
            return JSONBody(Listing(items: try await platform.matters.all(publicOnly: publicOnly)))
        }
        routes.on(.get, "matters/export", .admin, RouteDoc("The catalogue as a file", .catalogue)) { _, _, _ in
            JSONBody(try await platform.matters.exportCatalogue())
        }
        routes.on(
            .post, "matters/import", .platformAdmin,
            RouteDoc(
                "Import a catalogue file: new matters are created, changed ones get a new version (all or nothing)",
                .catalogue, body: .json(MatterCatalogueFile.self),
                answers: [
                    .problem(
                        403,
                        "Role not allowed or outside scope; cross_site_request (cookie-borne write from another site); platform_admin_required (an administrator below the whole platform)"
                    )
                ])
        ) { request, context, principal in
            let file = try await request.decodeStrict(MatterCatalogueFile.self, context: context)
            return JSONBody(try await platform.matters.importCatalogue(file, by: principal))
        }
        routes.on(
            .get, "matters/{id}", .authenticated,
            RouteDoc("Read a matter (its current version)", .catalogue, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            let matter = try await platform.matters.matter(id: try context.id())
            guard principal.kind == .staff || matter.isPublic else { throw DomainError.notFound("Matter") }
            return JSONBody(matter)
        }
        routes.on(
            .get, "matters/{id}/versions", .allStaff,
            RouteDoc("Every version of a matter", .catalogue, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, _ in
            JSONBody(Listing(items: try await platform.matters.versions(id: try context.id())))
        }
        routes.on(
            .post, "matters", .platformAdmin,
            RouteDoc(
                "Create a matter for a minor category", .catalogue, body: .json(MatterInput.self), status: 201,
                answers: [
                    .problem(
                        403,
                        "Role not allowed or outside scope; cross_site_request (cookie-borne write from another site); platform_admin_required (an administrator below the whole platform)"
                    ), .problem(409, "Conflict"),
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(MatterInput.self, context: context)
            return JSONBody(try await platform.matters.create(input, by: principal), status: .created)
        }
        routes.on(
            .put, "matters/{id}", .platformAdmin,
            RouteDoc(
                "Save a new version of a matter; cases keep the version they were filed under", .catalogue,
                body: .json(MatterInput.self),
                answers: [
                    .problem(
                        403,
                        "Role not allowed or outside scope; cross_site_request (cookie-borne write from another site); platform_admin_required (an administrator below the whole platform)"
                    )
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(MatterInput.self, context: context)
            return JSONBody(try await platform.matters.update(id: try context.id(), input, by: principal))
        }
        routes.on(.get, "calendar", .allStaff, RouteDoc("The working-time calendar", .catalogue)) { _, _, _ in
            JSONBody(try await platform.matters.calendar())
        }
        routes.on(
            .put, "calendar", .platformAdmin,
            RouteDoc(
                "Replace the working-time calendar", .catalogue, body: .json(WorkCalendar.self),
                answers: [
                    .problem(
                        403,
                        "Role not allowed or outside scope; cross_site_request (cookie-borne write from another site); platform_admin_required (an administrator below the whole platform)"
                    )
                ])
        ) { request, context, principal in
            let calendar = try await request.decodeStrict(WorkCalendar.self, context: context)
            return JSONBody(try await platform.matters.saveCalendar(calendar, by: principal))
        }
        routes.on(
            .get, "routing-rules", .staff([.admin, .dispatcher, .supervisor, .leader]),
            RouteDoc("Routing rules in scope (matter × area → departments)", .catalogue)
        ) { _, _, principal in
            JSONBody(Listing(items: try await platform.matters.rules(by: principal)))
        }
        routes.on(
            .post, "routing-rules", .admin,
            RouteDoc("Add a routing rule", .catalogue, body: .json(NewRoutingRule.self), status: 201)
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewRoutingRule.self, context: context)
            return JSONBody(try await platform.matters.addRule(input, by: principal), status: .created)
        }
        routes.on(
            .delete, "routing-rules/{id}", .admin,
            RouteDoc(
                "Delete a routing rule", .catalogue, status: 204, success: .ok(nil, "Deleted", status: 204),
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            try await platform.matters.deleteRule(id: try context.id(), by: principal)
            return Response.noContent()
        }
        return routes
    }
}
