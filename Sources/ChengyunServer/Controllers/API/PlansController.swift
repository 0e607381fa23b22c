import ChengyunCore
import ChengyunStore
import Hummingbird

/// Emergency plans (应急预案): imported as files, kept as versions, exported as the same file.
struct PlansController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "emergency/plans", .allStaff,
            RouteDoc("The latest version of every emergency plan, by code", .emergency)
        ) { _, _, _ in
            JSONBody(Listing(items: try await platform.plans.list()))
        }
        routes.on(
            .post, "emergency/plans", .admin,
            RouteDoc(
                "Import a plan file: checked as a whole (conditions over its facts, owners that exist, no dependency cycle, known placeholders) and saved as the next version of its code",
                .emergency, body: .json(EmergencyPlan.self), status: 201)
        ) { request, context, principal in
            let plan = try await request.decodeStrict(EmergencyPlan.self, context: context)
            return JSONBody(try await platform.plans.importPlan(plan, by: principal), status: .created)
        }
        routes.on(
            .get, "emergency/plans/{id}", .allStaff,
            RouteDoc(
                "Export a plan by code: its latest version, or the one asked for, as the file import takes", .emergency,
                parameters: [.path("id", "the plan's code"), .query("version", .integer(minimum: 1))])
        ) { request, context, _ in
            JSONBody(try await platform.plans.plan(try context.id(), version: try request.queryInt("version")))
        }
        routes.on(
            .get, "emergency/plans/{id}/versions", .allStaff,
            RouteDoc("Every version of a plan, newest first", .emergency, parameters: [.path("id", "the plan's code")])
        ) { _, context, _ in
            JSONBody(Listing(items: try await platform.plans.versions(try context.id())))
        }
        return routes
    }
}
