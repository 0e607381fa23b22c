import ChengyunCore
import Foundation

/// The cluster's bookkeeping for the server's services and the operator's view: heartbeats,
/// tick claims, the probe and the status.
public struct ClusterService: Sendable {
    let platform: Platform
    let repository = ClusterRepository()
    /// Every node beats once a second; three missed beats and it counts as gone.
    public static let heartbeatMillis: Int64 = 1000

    public init(platform: Platform) { self.platform = platform }

    public var nodeId: String { platform.cluster.nodeId }

    /// This node's row: alive, its address, how far its streams are, whether it serves.
    public func heartbeat(address: String, startedAt: Int64, ready: Bool) async throws {
        let node = ClusterNode(
            nodeId: nodeId, address: address, startedAt: startedAt, seenAt: platform.now(),
            eventSeq: platform.monitoring.events.position ?? 0, ready: ready)
        try await platform.pool.transaction { try await repository.heartbeat(node, on: $0) }
    }

    /// Leaves the cluster's list (graceful shutdown).
    public func leave() async throws {
        try await platform.pool.transaction { try await repository.leave(node: nodeId, on: $0) }
    }

    /// Claims `tick` of `job` for this node under the epoch it holds: that epoch when this node
    /// is to run it (one node, once — or again after a leader died mid-round), nil otherwise.
    public func claim(job: String, tick: Int64) async throws -> Int64? {
        guard let epoch = platform.cluster.epoch else { return nil }
        let now = platform.now()
        let claimed = try await platform.pool.transaction {
            try await repository.claim(job: job, tick: tick, node: nodeId, epoch: epoch, at: now, on: $0)
        }
        return claimed ? epoch : nil
    }

    /// The claimed round ran to its end.
    public func done(job: String, tick: Int64, epoch: Int64) async throws {
        let now = platform.now()
        try await platform.pool.transaction {
            try await repository.done(job: job, tick: tick, epoch: epoch, at: now, on: $0)
        }
    }

    /// One run of the probe job (on the fenced platform, like every singleton's work): its row
    /// and the round's end in one transaction, so a round is never run again once it has left
    /// its row.
    public func probe(job: String, tick: Int64) async throws {
        let now = platform.now()
        let epoch = platform.cluster.writeEpoch ?? 0
        try await platform.pool.transaction { db in
            try await repository.probe(tick: tick, node: nodeId, epoch: epoch, at: now, on: db)
            try await repository.done(job: job, tick: tick, epoch: epoch, at: now, on: db)
        }
    }

    /// Claims older than an hour, gone nodes and outbox rows older than a day go.
    public func prune() async throws {
        let now = platform.now()
        try await platform.pool.transaction {
            try await repository.prune(before: now - 86_400_000, ticksBefore: now - 3_600_000, on: $0)
        }
    }

    public func status() async throws -> ClusterStatus {
        let (leader, last, nodes, shards, queued) = try await platform.pool.read { db in
            (
                try await repository.leader(on: db), try await EventOutbox().last(on: db),
                try await repository.nodes(on: db), try await ShardRepository().leases(on: db),
                try await TelemetryInbox().waiting(on: db)
            )
        }
        var status = ClusterStatus(
            nodeId: nodeId, leader: leader, lastEventSeq: last, nodes: nodes, now: platform.now(),
            heartbeat: Self.heartbeatMillis)
        status.shards = shards
        status.queued = queued
        return status
    }
}

extension Platform {
    public var clusterService: ClusterService { ClusterService(platform: self) }
}
