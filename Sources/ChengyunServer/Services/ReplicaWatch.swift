import ChengyunStore
import Logging
import Prometheus

extension Periodic {
    /// On every node with a read replica, every second: how far the replica trails (`ReplicaPool.watch`),
    /// which decides where the read-only routes read, shown in `/metrics`
    /// (`chengyun_replica_lag_seconds`, -1 when unknown; `chengyun_replica_in_use`) and in
    /// `GET /api/v1/cluster`.
    static func replicaWatch(
        _ replica: ReplicaPool, now: @escaping @Sendable () -> Int64, registry: PrometheusCollectorRegistry,
        logger: Logger
    ) -> Periodic {
        let lag = registry.makeGauge(name: "chengyun_replica_lag_seconds")
        let inUse = registry.makeGauge(name: "chengyun_replica_in_use")
        return Periodic(name: "replica watch", every: .seconds(1), logger: logger) {
            let millis = await replica.watch(now: now())
            lag.set(millis.map { Double($0) / 1000 } ?? -1)
            inUse.set(replica.usesReplica ? 1.0 : 0.0)
        }
    }
}
