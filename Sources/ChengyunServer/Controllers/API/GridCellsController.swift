import ChengyunCore
import ChengyunStore
import Hummingbird

/// Grid cells with their polygons, and the point lookup (which cell holds this position).
struct GridCellsController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(.get, "grid-cells", .allStaff) { request, _, principal in
            JSONBody(
                try await platform.organisation.listGridCells(
                    areaId: request.query("areaId"), page: try request.pageRequest(), by: principal))
        }
        routes.on(.get, "grid-cells/locate", .allStaff) { request, _, principal in
            guard let lon = request.query("lon").flatMap(Double.init),
                let lat = request.query("lat").flatMap(Double.init)
            else {
                throw Problem.badRequest(
                    "invalid_parameter", "lon and lat are required numbers.",
                    errors: [
                        FieldIssue(
                            field: "lon/lat", code: "invalid_value",
                            message: "Give lon and lat in decimal degrees.")
                    ])
            }
            guard let cell = try await platform.organisation.locate(GeoPoint(lon: lon, lat: lat), by: principal) else {
                throw Problem(
                    status: .notFound, code: "not_found", detail: "No grid cell in your scope holds this point.")
            }
            return JSONBody(cell)
        }
        routes.on(.get, "grid-cells/{id}", .allStaff) { _, context, principal in
            JSONBody(try await platform.organisation.gridCell(id: try context.id(), by: principal))
        }
        routes.on(.post, "grid-cells", .admin) { request, context, principal in
            let input = try await request.decodeStrict(NewGridCell.self, context: context)
            return JSONBody(try await platform.organisation.createGridCell(input, by: principal), status: .created)
        }
        routes.on(.patch, "grid-cells/{id}", .admin) { request, context, principal in
            let change = try await request.decodeStrict(GridCellChange.self, context: context)
            return JSONBody(try await platform.organisation.updateGridCell(id: try context.id(), change, by: principal))
        }
        routes.on(.delete, "grid-cells/{id}", .admin) { _, context, principal in
            try await platform.organisation.deleteGridCell(id: try context.id(), by: principal)
            return Response.noContent()
        }
        return routes
    }
}
