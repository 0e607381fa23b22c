import ChengyunCore
import ChengyunStore
import Hummingbird

/// The emergency resource registry and nearest dispatch (应急资源, 就近调度).
struct EmergencyController {
    let platform: Platform
    static let dispatchers = Access.staff([.supervisor, .dispatcher, .leader, .admin])

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "emergency/resources", .allStaff,
            RouteDoc(
                "Emergency resources in scope, by code", .emergency,
                parameters: [
                    .query("kind", .named(ResourceKind.self)), .query("status", .named(ResourceStatus.self)),
                    .query("capability", .string, "e.g. fire, drainage, gas"),
                ])
        ) { request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.emergency.list(
                        kind: try request.queryEnum("kind", ResourceKind.self),
                        status: try request.queryEnum("status", ResourceStatus.self),
                        capability: request.query("capability"), by: principal)))
        }
        routes.on(
            .post, "emergency/resources", .admin,
            RouteDoc(
                "Register a resource, available at its home, in an area within the caller's scope (default their own)",
                .emergency, body: .json(NewEmergencyResource.self), status: 201,
                answers: [.problem(409, "duplicate_code: a resource with this code exists")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewEmergencyResource.self, context: context)
            return JSONBody(try await platform.emergency.register(input, by: principal), status: .created)
        }
        routes.on(
            .get, "emergency/resources/{id}", .allStaff,
            RouteDoc("An emergency resource by id or code", .emergency)
        ) { _, context, principal in
            JSONBody(try await platform.emergency.resource(id: try context.id(), by: principal))
        }
        routes.on(
            .post, "emergency/resources/{id}/events", Self.dispatchers,
            RouteDoc(
                "Move a resource through a response (assign, depart, arrive, leave, returnToBase, release, breakDown, restore), with the crew's position when reported",
                .emergency, body: .json(ResourceEventInput.self),
                answers: [
                    .problem(
                        409,
                        "resource_unavailable: its status does not allow the event (only an available resource is assigned), or it moved meanwhile"
                    )
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(ResourceEventInput.self, context: context)
            return JSONBody(try await platform.emergency.apply(input, to: try context.id(), by: principal))
        }
        routes.on(
            .get, "emergency/resources/{id}/stock", .allStaff,
            RouteDoc("A depot's stock of materials (物资储备), by material; none for other resources", .emergency)
        ) { _, context, principal in
            JSONBody(Listing(items: try await platform.depots.stock(of: try context.id(), by: principal)))
        }
        routes.on(
            .post, "emergency/resources/{id}/stock", .admin,
            RouteDoc(
                "Restock a depot with a material, in its unit (a new line the first time); audited and kept as a move",
                .emergency, body: .json(RestockInput.self),
                answers: [.problem(409, "not_a_depot; or concurrent_update: the stock moved meanwhile")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(RestockInput.self, context: context)
            return JSONBody(try await platform.depots.restock(input, depot: try context.id(), by: principal))
        }
        routes.on(
            .get, "emergency/nearest", Self.dispatchers,
            RouteDoc(
                "The available resources in scope nearest a scene, with a capability, each with its distance, ETA and measure: travel time over the road network once one is loaded, else the straight line",
                .emergency,
                parameters: [
                    .query("lon", .number, required: true), .query("lat", .number, required: true),
                    .query("kind", .named(ResourceKind.self)), .query("capability", .string, "e.g. fire"),
                    .query("count", .integer(minimum: 1, maximum: 50, default: 5)),
                ])
        ) { request, _, principal in
            return JSONBody(
                Listing(
                    items: try await platform.emergency.nearest(
                        to: try request.queryPoint(), kind: try request.queryEnum("kind", ResourceKind.self),
                        capability: request.query("capability"),
                        count: try request.queryInt("count") ?? 5, by: principal)))
        }
        routes.on(
            .post, "emergency/road-network", .admin,
            RouteDoc(
                "Load the road network nearest dispatch ranks by: a GeoJSON FeatureCollection of LineString or MultiLineString roads, the class in properties.highway or properties.roadClass; it replaces the one in use",
                .emergency, body: .json(RoadNetworkInput.self), status: 201)
        ) { request, context, principal in
            let input = try await request.decodeStrict(RoadNetworkInput.self, context: context)
            return JSONBody(try await platform.roads.load(input, by: principal), status: .created)
        }
        routes.on(
            .get, "emergency/road-network", .allStaff,
            RouteDoc(
                "The road network in use: its name, roads and vertices, who loaded it and when", .emergency,
                answers: [.problem(404, "not_found: no road network is loaded; nearest dispatch goes by straight line")]
            )
        ) { _, _, _ in
            guard let current = try await platform.roads.current() else {
                throw DomainError.notFound("A road network")
            }
            return JSONBody(current)
        }
        routes.on(
            .get, "emergency/modes", .allStaff,
            RouteDoc(
                "The areas in scope that have been switched between peacetime and wartime (平战结合), with their mode",
                .emergency)
        ) { _, _, principal in
            JSONBody(Listing(items: try await platform.modes.modes(by: principal)))
        }
        routes.on(
            .post, "emergency/modes", Access.staff([.leader, .admin]),
            RouteDoc(
                "Switch an area in scope to wartime or back to peacetime, with the reason (audited); in wartime warning subscriptions there hear every level",
                .emergency, body: .json(ModeSwitchInput.self))
        ) { request, context, principal in
            let input = try await request.decodeStrict(ModeSwitchInput.self, context: context)
            return JSONBody(try await platform.modes.switchMode(input, by: principal))
        }
        return routes
    }
}
