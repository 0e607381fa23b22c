import ChengyunCore
import ChengyunStore
import Hummingbird

/// Grid cells with their polygons, and the point lookup (which cell holds this position).
struct GridCellsController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "grid-cells", .allStaff,
            RouteDoc("List grid cells in scope", .organisation, parameters: [.query("areaId"), .cursor, .limit])
        ) { request, _, principal in
            JSONBody(
                try await platform.organisation.listGridCells(
                    areaId: request.query("areaId"), page: try request.pageRequest(), by: principal))
        }
        routes.on(
            .get, "grid-cells/locate", .allStaff,
            RouteDoc(
                "Which grid cell holds a point (spatial index, then exact point-in-polygon)", .organisation,
                parameters: [.query("lon", .number, required: true), .query("lat", .number, required: true)],
                alsoShared: [.notFound])
        ) { request, _, principal in
            guard let cell = try await platform.organisation.locate(try request.queryPoint(), by: principal) else {
                throw Problem(
                    status: .notFound, code: "not_found", detail: "No grid cell in your scope holds this point.")
            }
            return JSONBody(cell)
        }
        routes.on(
            .get, "grid-cells/{id}", .allStaff,
            RouteDoc("Read a grid cell", .organisation, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.organisation.gridCell(id: try context.id(), by: principal))
        }
        routes.on(
            .post, "grid-cells", .admin,
            RouteDoc(
                "Create a grid cell; its community comes from its code", .organisation, body: .json(NewGridCell.self),
                status: 201, answers: [.problem(409, "Conflict (duplicate code or name)")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewGridCell.self, context: context)
            return JSONBody(try await platform.organisation.createGridCell(input, by: principal), status: .created)
        }
        routes.on(
            .patch, "grid-cells/{id}", .admin,
            RouteDoc("Rename or reshape a grid cell", .organisation, body: .json(GridCellChange.self))
        ) { request, context, principal in
            let change = try await request.decodeStrict(GridCellChange.self, context: context)
            return JSONBody(try await platform.organisation.updateGridCell(id: try context.id(), change, by: principal))
        }
        routes.on(
            .delete, "grid-cells/{id}", .admin,
            RouteDoc(
                "Delete a grid cell", .organisation, status: 204, success: .ok(nil, "Deleted", status: 204),
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            try await platform.organisation.deleteGridCell(id: try context.id(), by: principal)
            return Response.noContent()
        }
        return routes
    }
}
