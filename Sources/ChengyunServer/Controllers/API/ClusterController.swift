import ChengyunCore
import ChengyunStore
import Hummingbird

/// `GET /api/v1/cluster`: the nodes on this database, who leads under which epoch, and how far
/// each node's live streams are behind the outbox. City-level administrators only.
struct ClusterController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "cluster", .admin,
            RouteDoc(
                "The cluster: nodes with their heartbeat and readiness, the leader and its lease epoch, each node's event-stream lag (city-level administrators)",
                .system)
        ) { _, _, principal in
            try requireCityScope(principal, "The cluster is for city-level administrators.")
            return JSONBody(try await platform.clusterService.status())
        }
        return routes
    }
}
