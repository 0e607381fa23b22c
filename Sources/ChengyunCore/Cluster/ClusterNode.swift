/// A server process on the platform's database, as it reports itself by its heartbeat.
public struct ClusterNode: Codable, Sendable, Equatable {
    public var nodeId: String
    /// Where it listens (host:port), for the operator.
    public var address: String
    public var startedAt: Int64
    public var seenAt: Int64
    /// The highest outbox event its live streams were handed (0 while nobody listens there).
    public var eventSeq: Int64
    /// Serving and not shutting down.
    public var ready: Bool

    public init(nodeId: String, address: String, startedAt: Int64, seenAt: Int64, eventSeq: Int64, ready: Bool) {
        self.nodeId = nodeId
        self.address = address
        self.startedAt = startedAt
        self.seenAt = seenAt
        self.eventSeq = eventSeq
        self.ready = ready
    }

    /// Heard from within three heartbeats.
    public func isAlive(at now: Int64, heartbeat: Int64) -> Bool { now - seenAt <= 3 * heartbeat }
}

/// Who leads: the node holding the lease and the lease's epoch, the number every singleton
/// write checks (a fence: a leader that lost its lease cannot write with the old number).
public struct ClusterLeader: Codable, Sendable, Equatable {
    public var nodeId: String
    public var epoch: Int64
    public var since: Int64

    public init(nodeId: String, epoch: Int64, since: Int64) {
        self.nodeId = nodeId
        self.epoch = epoch
        self.since = since
    }
}

/// The cluster as the operator sees it (`GET /api/v1/cluster`).
public struct ClusterStatus: Codable, Sendable, Equatable {
    public struct Member: Codable, Sendable, Equatable {
        public var node: ClusterNode
        public var alive: Bool
        public var leader: Bool
        /// Outbox events this node's streams are behind (nil while nobody listens there).
        public var eventLag: Int64?
    }
    /// The node that answered.
    public var nodeId: String
    public var leader: ClusterLeader?
    public var lastEventSeq: Int64
    public var nodes: [Member]
    /// The answering node's read replica, when it has one.
    public var replica: ReplicaState?
    /// Who judges each rule shard's devices (`RuleShards`), and the readings queued for each.
    public var shards: [ShardLease] = []
    public var queued: [Int: Int] = [:]

    public init(
        nodeId: String, leader: ClusterLeader?, lastEventSeq: Int64, nodes: [ClusterNode], now: Int64, heartbeat: Int64
    ) {
        self.nodeId = nodeId
        self.leader = leader
        self.lastEventSeq = lastEventSeq
        self.nodes = nodes.map { node in
            let alive = node.isAlive(at: now, heartbeat: heartbeat)
            return Member(
                node: node, alive: alive, leader: alive && node.nodeId == leader?.nodeId,
                eventLag: node.eventSeq > 0 ? max(0, lastEventSeq - node.eventSeq) : nil)
        }
    }
}

/// Where a node's read-only routes read: its replica's lag at the last check, and whether that is
/// within the most allowed (else they read the primary).
public struct ReplicaState: Codable, Sendable, Equatable {
    public var lagMillis: Int64?
    public var inUse: Bool
    public var maxLagMillis: Int64

    public init(lagMillis: Int64?, inUse: Bool, maxLagMillis: Int64) {
        self.lagMillis = lagMillis
        self.inUse = inUse
        self.maxLagMillis = maxLagMillis
    }
}
