import ChengyunCore
import SQLKit

/// What a write for a shard throws when this node no longer holds it under the epoch it judged by.
public struct ShardFencedOut: Error, CustomStringConvertible {
    public var shards: [Int]
    public var description: String { "fenced out: shards \(shards) moved to another node" }
}

/// The rule shards' lease rows (`RuleShards`). On PostgreSQL a transaction-scoped advisory lock
/// per shard orders the writes: a write for a shard holds it shared while it checks the epoch
/// and until it commits; taking or handing back a shard holds it exclusively — so a lease never
/// moves while a write that passed the check is still in flight (and no lock outlives its
/// transaction, so none leaks through a pooled connection).
struct ShardRepository: Sendable {
    /// The advisory locks' first key (PostgreSQL's two-key form, apart from the one-key locks of
    /// `advisoryKey`): the schema's hash, as an SQL expression. Advisory locks are database-wide,
    /// and cities in schemas of one database must not wait on each other's shards or route; the
    /// empty name stands in should there be no schema, as a NULL key would take no lock at all.
    static let lockSpace = "hashtext(coalesce(current_schema(), ''))"

    func leases(on db: any SQLDatabase) async throws -> [ShardLease] {
        try await db.select().columns("shard", "node_id", "epoch", "expires_at").from("rule_shards")
            .orderBy("shard").all().map { row in
                ShardLease(
                    shard: try row.decode(column: "shard", as: Int.self),
                    nodeId: try row.decode(column: "node_id", as: String.self),
                    epoch: try row.decode(column: "epoch", as: Int64.self),
                    expiresAt: try row.decode(column: "expires_at", as: Int64.self))
            }
    }

    /// Takes the shards nobody holds now (or this node held and lost track of): their new epochs.
    func claim(_ shards: [Int], node: String, at now: Int64, on db: any SQLDatabase) async throws -> [Int: Int64] {
        var taken: [Int: Int64] = [:]
        for shard in shards.sorted() {
            try await lock(shard, shared: false, on: db)
            let row = try await db.raw(
                """
                UPDATE rule_shards SET node_id = \(bind: node), epoch = epoch + 1,
                    expires_at = \(bind: now + RuleShards.leaseMillis)
                WHERE shard = \(bind: shard) AND (node_id = '' OR node_id = \(bind: node) OR expires_at <= \(bind: now))
                RETURNING epoch
                """
            ).first()
            if let epoch = try row?.decode(column: "epoch", as: Int64.self) { taken[shard] = epoch }
        }
        return taken
    }

    /// Extends this node's leases it still holds under the epochs it knows; returns those.
    func renew(_ held: [Int: Int64], node: String, at now: Int64, on db: any SQLDatabase) async throws -> Set<Int> {
        guard !held.isEmpty else { return [] }
        let rows = try await db.update("rule_shards").set("expires_at", to: now + RuleShards.leaseMillis)
            .where("node_id", .equal, node).where("shard", .in, held.keys.sorted())
            .returning("shard", "epoch").all()
        var kept: Set<Int> = []
        for row in rows {
            let shard = try row.decode(column: "shard", as: Int.self)
            if try row.decode(column: "epoch", as: Int64.self) == held[shard] { kept.insert(shard) }
        }
        return kept
    }

    /// Hands shards back (another node is to hold them): free at once, under a new epoch.
    func release(_ held: [Int: Int64], node: String, on db: any SQLDatabase) async throws {
        for (shard, epoch) in held.sorted(by: { $0.key < $1.key }) {
            try await lock(shard, shared: false, on: db)
            try await db.raw(
                """
                UPDATE rule_shards SET node_id = '', epoch = epoch + 1, expires_at = 0
                WHERE shard = \(bind: shard) AND node_id = \(bind: node) AND epoch = \(bind: epoch)
                """
            ).run()
        }
    }

    /// The fence of a write for `held` shards: throws unless this node holds each under its epoch.
    func check(_ held: [Int: Int64], node: String, on db: any SQLDatabase) async throws {
        guard !held.isEmpty else { return }
        let shards = held.keys.sorted()
        if db.dialect.name == "postgresql" {
            try await db.raw(
                """
                SELECT pg_advisory_xact_lock_shared(\(unsafeRaw: Self.lockSpace), s)
                FROM unnest(\(bind: shards.map(Int32.init))::int4[]) AS s
                """
            ).run()
        }
        let rows = try await db.select().columns("shard", "node_id", "epoch").from("rule_shards")
            .where("shard", .in, shards).all()
        var lost = Set(shards)
        for row in rows
        where try row.decode(column: "node_id", as: String.self) == node
            && row.decode(column: "epoch", as: Int64.self) == held[try row.decode(column: "shard", as: Int.self)]
        {
            lost.remove(try row.decode(column: "shard", as: Int.self))
        }
        guard lost.isEmpty else { throw ShardFencedOut(shards: lost.sorted()) }
    }

    private func lock(_ shard: Int, shared: Bool, on db: any SQLDatabase) async throws {
        guard db.dialect.name == "postgresql" else { return }
        let function = shared ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock"
        try await db.raw(
            "SELECT \(unsafeRaw: function)(\(unsafeRaw: Self.lockSpace), \(unsafeRaw: String(shard)))"
        ).run()
    }
}
