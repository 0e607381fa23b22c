import ChengyunCore
import ChengyunStore
import Logging
import ServiceLifecycle

/// This node in the cluster, once a second: keeps or tries for the lead, beats its heartbeat
/// (with how far its live streams are), keeps, hands back or takes rule shards, and polls the outbox (the relay's safety net beside
/// PostgreSQL's NOTIFY, which a listener task follows). At a graceful shutdown the node says it is
/// no longer ready, hands the lead back at once and leaves the list, so another node leads within
/// its next round; its rule shards likewise.
struct ClusterMember: Service {
    let platform: ChengyunStore.Platform
    let address: String
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        let cluster = platform.clusterService
        let startedAt = platform.now()
        // Every node reads the outbox from now on: the other nodes' signals reach it, listened or not.
        while !Task.isShuttingDownGracefully {
            do {
                try await platform.monitoring.events.follow()
                break
            } catch {
                logger.warning("outbox", metadata: ["error": "\(loggedError(error))"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            }
        }
        let listener = Task { await platform.monitoring.events.listen(logger: logger) }
        defer { listener.cancel() }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await platform.cluster.step(platform, logger: logger)
            do {
                try await cluster.heartbeat(address: address, startedAt: startedAt, ready: readiness.isReady)
            } catch {
                logger.warning("heartbeat", metadata: ["error": "\(loggedError(error))"])
            }
            await platform.shards.step(platform, logger: logger)
            platform.monitoring.events.wake()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
        readiness.stop()
        await platform.cluster.resign()
        await platform.shards.resign(platform)
        try? await cluster.leave()
        logger.info("left the cluster", metadata: ["node": "\(platform.cluster.nodeId)"])
    }
}
