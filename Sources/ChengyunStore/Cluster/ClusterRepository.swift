import ChengyunCore
import SQLKit

/// What a singleton write throws when this node no longer holds the lease it was started under.
public struct FencedOut: Error, CustomStringConvertible {
    public var epoch: Int64?
    public var description: String {
        if let epoch { "fenced out: the lease moved past epoch \(epoch)" } else { "fenced out: not the leader" }
    }
}

/// The cluster's rows: the leader's epoch, the nodes' heartbeats and the claimed ticks.
struct ClusterRepository: Sendable {
    /// Takes the lead (the caller holds the lease): the epoch moves on and is returned.
    func takeLead(node: String, at now: Int64, on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            """
            UPDATE cluster_leader SET epoch = epoch + 1, node_id = \(bind: node), since = \(bind: now)
            WHERE id = 1 RETURNING epoch
            """
        ).first()?.decode(column: "epoch", as: Int64.self) ?? 0
    }

    func leader(on db: any SQLDatabase) async throws -> ClusterLeader? {
        guard
            let row = try await db.select().columns("node_id", "epoch", "since").from("cluster_leader")
                .where("id", .equal, 1).first(), try row.decode(column: "epoch", as: Int64.self) > 0
        else { return nil }
        return ClusterLeader(
            nodeId: try row.decode(column: "node_id", as: String.self),
            epoch: try row.decode(column: "epoch", as: Int64.self),
            since: try row.decode(column: "since", as: Int64.self))
    }

    /// The fence: throws unless `epoch` is still the lease's. On PostgreSQL the leader row is
    /// share-locked until the caller's transaction ends, so a new leader's epoch cannot move on
    /// while a write that passed the check is in flight.
    func check(epoch: Int64, on db: any SQLDatabase) async throws {
        let lock = db.dialect.name == "postgresql" ? " FOR SHARE" : ""
        let current = try await db.raw(SQLQueryString("SELECT epoch FROM cluster_leader WHERE id = 1" + lock)).first()?
            .decode(column: "epoch", as: Int64.self)
        guard current == epoch else { throw FencedOut(epoch: epoch) }
    }

    /// Claims one tick of a job under `epoch`, only while that is the lease's epoch: true for one
    /// caller. A tick claimed under an older epoch and never finished (its leader died in the
    /// round) is claimed again; the old leader's writes, if it still runs, are fenced out.
    func claim(job: String, tick: Int64, node: String, epoch: Int64, at now: Int64, on db: any SQLDatabase)
        async throws -> Bool
    {
        try await db.raw(
            """
            INSERT INTO job_ticks (job, tick, node_id, epoch, claimed_at)
            SELECT \(bind: job), \(bind: tick), \(bind: node), \(bind: epoch), \(bind: now)
            WHERE EXISTS (SELECT 1 FROM cluster_leader WHERE id = 1 AND epoch = \(bind: epoch))
            ON CONFLICT (job, tick) DO UPDATE SET node_id = excluded.node_id, epoch = excluded.epoch,
                claimed_at = excluded.claimed_at
            WHERE job_ticks.done_at IS NULL AND job_ticks.epoch < excluded.epoch
            RETURNING tick
            """
        ).first() != nil
    }

    /// A claimed round finished.
    func done(job: String, tick: Int64, epoch: Int64, at now: Int64, on db: any SQLDatabase) async throws {
        try await db.update("job_ticks").set("done_at", to: now).where("job", .equal, job)
            .where("tick", .equal, tick).where("epoch", .equal, epoch).run()
    }

    func heartbeat(_ node: ClusterNode, on db: any SQLDatabase) async throws {
        try await db.insert(into: "cluster_nodes")
            .columns("node_id", "address", "started_at", "seen_at", "event_seq", "ready")
            .values(
                SQLBind(node.nodeId), SQLBind(node.address), SQLBind(node.startedAt), SQLBind(node.seenAt),
                SQLBind(node.eventSeq), SQLBind(node.ready)
            )
            .onConflict(with: ["node_id"]) {
                $0.set(excludedValueOf: "address").set(excludedValueOf: "seen_at")
                    .set(excludedValueOf: "event_seq").set(excludedValueOf: "ready")
            }
            .run()
    }

    func nodes(on db: any SQLDatabase) async throws -> [ClusterNode] {
        try await db.select().columns("node_id", "address", "started_at", "seen_at", "event_seq", "ready")
            .from("cluster_nodes").orderBy("started_at").all().map { row in
                ClusterNode(
                    nodeId: try row.decode(column: "node_id", as: String.self),
                    address: try row.decode(column: "address", as: String.self),
                    startedAt: try row.decode(column: "started_at", as: Int64.self),
                    seenAt: try row.decode(column: "seen_at", as: Int64.self),
                    eventSeq: try row.decode(column: "event_seq", as: Int64.self),
                    ready: try row.decode(column: "ready", as: Bool.self))
            }
    }

    func leave(node: String, on db: any SQLDatabase) async throws {
        try await db.delete(from: "cluster_nodes").where("node_id", .equal, node).run()
    }

    /// One run of the probe job (an operator's check that ticks run once; no key, on purpose).
    func probe(tick: Int64, node: String, epoch: Int64, at now: Int64, on db: any SQLDatabase) async throws {
        try await db.insert(into: "cluster_probe_runs").columns("tick", "node_id", "epoch", "at")
            .values(SQLBind(tick), SQLBind(node), SQLBind(epoch), SQLBind(now)).run()
    }

    /// Claims older than `ticksBefore` (they matter only while their tick may be claimed again),
    /// nodes unheard of and outbox rows older than `before` go.
    func prune(before: Int64, ticksBefore: Int64, on db: any SQLDatabase) async throws {
        try await db.delete(from: "job_ticks").where("claimed_at", .lessThan, ticksBefore).run()
        try await db.delete(from: "cluster_nodes").where("seen_at", .lessThan, before).run()
        try await EventOutbox().prune(before: before, on: db)
    }
}
