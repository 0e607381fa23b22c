import ChengyunCore
import ChengyunStore
import Logging
import ServiceLifecycle
import Synchronization

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

/// Whether this node takes work: true from the start until its graceful shutdown begins (then
/// `/healthz` answers 503, so a proxy sends new requests elsewhere).
public final class Readiness: Sendable {
    private let ready = Atomic(true)
    public init() {}
    public var isReady: Bool { ready.load(ordering: .relaxed) }
    func stop() { ready.store(false, ordering: .relaxed) }
}

/// Put after the application in the service group, so that a graceful shutdown reaches it first:
/// the node says it is not ready, waits `drain` for a load balancer's health check to notice,
/// and only then lets the HTTP server stop taking requests.
public struct ReadinessGate: Service {
    let readiness: Readiness
    let drain: Duration

    public init(readiness: Readiness, drain: Duration) {
        self.readiness = readiness
        self.drain = drain
    }

    public func run() async throws {
        try? await gracefulShutdown()
        readiness.stop()
        if drain > .zero { try? await Task.sleep(for: drain) }
    }
}
