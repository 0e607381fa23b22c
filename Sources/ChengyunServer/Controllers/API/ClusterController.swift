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
                "The cluster: nodes with their heartbeat and readiness, the leader and its lease epoch, each node's event-stream lag, and the answering node's read replica (city-level administrators)",
                .system)
        ) { _, _, principal in
            try requireCityScope(principal, "The cluster is for city-level administrators.")
            var status = try await platform.clusterService.status()
            status.replica = platform.replica.map {
                ReplicaState(lagMillis: $0.lagMillis, inUse: $0.usesReplica, maxLagMillis: $0.maxLagMillis)
            }
            return JSONBody(status)
        }
        return routes
    }
}
