import ChengyunCore
import ChengyunStore
import Hummingbird

/// The four-colour risk map (安全风险四色图): categories, hazard sources, each cell's level per
/// category and its history.
struct RiskMapController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "risk-map/categories", .allStaff,
            RouteDoc("The risk categories, each with its rule over a cell's facts and what it counts", .emergency)
        ) { _, _, _ in
            JSONBody(Listing(items: try await platform.risk.categories()))
        }
        routes.on(
            .get, "risk-map", .allStaff,
            RouteDoc(
                "The cells in scope above blue for a category, with their level and facts (every other cell is blue)",
                .emergency, parameters: [.query("category", .string, "e.g. gas, flood, fire_safety", required: true)],
                answers: [.problem(404, "not_found: no such risk category")])
        ) { request, _, principal in
            guard let category = request.query("category") else {
                throw Problem.badRequest(
                    "invalid_parameter", "category is required.",
                    errors: [FieldIssue(field: "category", code: "missing_field", message: "Name a risk category.")])
            }
            return JSONBody(Listing(items: try await platform.risk.map(category: category, by: principal)))
        }
        routes.on(
            .get, "risk-map/hazards", .allStaff,
            RouteDoc("Hazard sources in scope, by code", .emergency, parameters: [.query("category")])
        ) { request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.risk.hazards(category: request.query("category"), by: principal))
            )
        }
        routes.on(
            .post, "risk-map/hazards", .admin,
            RouteDoc(
                "Register a hazard source in a grid cell within scope; its cell's level is recomputed at once",
                .emergency, body: .json(NewHazardSource.self), status: 201,
                answers: [.problem(409, "duplicate_code: a hazard source with this code exists")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewHazardSource.self, context: context)
            return JSONBody(try await platform.risk.addHazard(input, by: principal), status: .created)
        }
        routes.on(
            .get, "risk-map/cells/{id}/changes", .allStaff,
            RouteDoc("A grid cell's risk level changes, newest first", .emergency)
        ) { _, context, principal in
            JSONBody(Listing(items: try await platform.risk.changes(cell: try context.id(), by: principal)))
        }
        routes.on(
            .post, "risk-map/recompute", .admin,
            RouteDoc(
                "Recompute every cell for every category from scratch (the risk clock follows changes by itself)",
                .emergency)
        ) { _, _, _ in
            JSONBody(try await platform.risk.recomputeAll())
        }
        return routes
    }
}
