import ChengyunCore
import Logging
import Synchronization

/// This node's rule shards (`RuleShards`, docs/domain.md §10). Outside a cluster (SQLite, a test,
/// a command-line tool: nobody calls `step`) it judges every device unfenced. In one, each round
/// of the cluster service renews its leases, hands back the shards another live node should judge
/// and takes the free ones it should. A shard taken is pending until the monitoring memory has
/// been loaded afresh (`MonitoringHub`, in the gate): only then does a turn judge it, from the
/// states its last owner committed.
public final class ShardOwnership: Sendable {
    public let nodeId: String
    private struct State {
        var clustered = false
        /// Judged here now, under these epochs.
        var held: [Int: Int64] = [:]
        /// Taken, waiting for the memory's reload.
        var pending: [Int: Int64] = [:]
    }
    private let state = Mutex(State())

    init(nodeId: String) { self.nodeId = nodeId }

    /// What a turn judges by — read once per turn, inside the gate: nil outside a cluster (every
    /// shard, no fence), else this node's shards and the epochs it holds them under.
    var held: [Int: Int64]? { state.withLock { $0.clustered ? $0.held : nil } }

    public var isClustered: Bool { state.withLock { $0.clustered } }

    /// A process that takes telemetry but judges none of it (a command-line import on
    /// PostgreSQL, where serving nodes hold the shards): every line is queued for the node that
    /// holds its device's shard, so no alarm is judged by two processes.
    public func holdNothing() {
        state.withLock { s in
            s.clustered = true
            s.held = [:]
            s.pending = [:]
        }
    }

    /// The shards this node has taken, judged here or about to be (once the memory is read again).
    public var claimed: [Int] { state.withLock { (Array($0.held.keys) + Array($0.pending.keys)).sorted() } }

    /// Shards a write found gone to another node (its fence): batches queue their lines from now on.
    func drop(_ shards: [Int]) {
        state.withLock { s in
            for shard in shards {
                s.held[shard] = nil
                s.pending[shard] = nil
            }
        }
    }

    /// The shards taken and waiting for a reload: the hub reads them, reloads, then `activate`s
    /// them. They stay pending meanwhile, so a round in between still counts them as this node's.
    func pendingShards() -> [Int: Int64] { state.withLock { $0.pending } }

    /// Shards whose memory is loaded: judged here from now on — each only if it is still pending
    /// under the epoch the reload began with (not dropped, handed back or taken again meanwhile).
    func activate(_ shards: [Int: Int64]) {
        state.withLock { s in
            for (shard, epoch) in shards where s.pending[shard] == epoch {
                s.pending[shard] = nil
                s.held[shard] = epoch
            }
        }
    }

    /// One round: renew, hand back, take. Only on PostgreSQL, where several nodes can share a
    /// database: a SQLite file has one server process, which judges every device.
    public func step(_ platform: Platform, logger: Logger) async {
        guard platform.pool.backend == .postgres else { return }
        state.withLock { $0.clustered = true }
        let repository = ShardRepository()
        let now = platform.now()
        do {
            let (leases, nodes) = try await platform.pool.read { db in
                (try await repository.leases(on: db), try await ClusterRepository().nodes(on: db))
            }
            // Held here, as far as this node knows, but the rows say otherwise: another node took them.
            let mine = state.withLock { $0.held.merging($0.pending) { a, _ in a } }
            let rows = Dictionary(uniqueKeysWithValues: leases.map { ($0.shard, $0) })
            let gone = mine.filter { rows[$0.key]?.nodeId != nodeId || rows[$0.key]?.epoch != $0.value }
            if !gone.isEmpty {
                drop(Array(gone.keys))
                logger.warning("lost shards", metadata: ["shards": "\(gone.keys.sorted())"])
            }
            let alive = nodes.filter { $0.ready && $0.isAlive(at: now, heartbeat: ClusterService.heartbeatMillis) }
            let plan = ShardPlan(leases: leases, alive: alive.map(\.nodeId), me: nodeId, now: now)
            let held = mine.filter { gone[$0.key] == nil }
            // Renewed first, so a hand-back waiting for writes in flight cannot hold up the leases.
            let keep = held.filter { plan.renew.contains($0.key) }
            let kept = try await platform.pool.transaction {
                try await repository.renew(keep, node: nodeId, at: now, on: $0)
            }
            let lost = Set(keep.keys).subtracting(kept)
            if !lost.isEmpty {
                drop(Array(lost))
                logger.warning("lost shards", metadata: ["shards": "\(lost.sorted())"])
            }
            let handBack = held.filter { plan.release.contains($0.key) }
            if !handBack.isEmpty {
                // New batches queue these from now on; the release waits for writes in flight.
                drop(Array(handBack.keys))
                do {
                    try await platform.pool.transaction {
                        try await repository.release(handBack, node: nodeId, on: $0)
                    }
                    logger.info("handed shards back", metadata: ["shards": "\(handBack.keys.sorted())"])
                } catch {
                    // Still ours in the database: judged here again until the next round's try.
                    state.withLock { s in s.held.merge(handBack) { a, _ in a } }
                    throw error
                }
            }
            let wanted = plan.claim + plan.renew.filter { held[$0] == nil }
            guard !wanted.isEmpty else { return }
            let taken = try await platform.pool.transaction {
                try await repository.claim(wanted, node: nodeId, at: now, on: $0)
            }
            guard !taken.isEmpty else { return }
            // Judged only after the memory is read again, with the states the last owner committed.
            state.withLock { $0.pending.merge(taken) { _, new in new } }
            platform.monitoring.forgetMemory()
            platform.monitoring.ringInbox()
            logger.info("took shards", metadata: ["shards": "\(taken.keys.sorted())"])
        } catch {
            logger.warning("rule shards", metadata: ["error": "\(loggedError(error))"])
        }
    }

    /// Hands every shard back (graceful shutdown), so the other nodes take them within a round.
    public func resign(_ platform: Platform) async {
        let held = state.withLock { s in
            let held = s.held.merging(s.pending) { a, _ in a }
            s.held = [:]
            s.pending = [:]
            return held
        }
        guard !held.isEmpty else { return }
        try? await platform.pool.transaction { try await ShardRepository().release(held, node: nodeId, on: $0) }
    }
}
