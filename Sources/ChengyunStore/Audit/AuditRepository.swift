import ChengyunCore
import SQLKit

/// The append-only, hash-chained audit log, its entries signed with the keyring's current key
/// when the platform has one (`PlatformSettings.auditKeys`).
public struct AuditRepository: Sendable {
    let keys: AuditKeyring?

    public init(keys: AuditKeyring? = nil) { self.keys = keys }

    /// What a write records; the chain fields are filled in on append.
    public struct Record: Sendable {
        public var actor: Principal
        public var action: String
        public var targetType: String
        public var targetId: String
        public var summary: String

        public init(actor: Principal, action: String, targetType: String, targetId: String, summary: String) {
            self.actor = actor
            self.action = action
            self.targetType = targetType
            self.targetId = targetId
            self.summary = summary
        }
    }

    /// Appends inside the caller's transaction, so the entry commits or rolls back with the write
    /// it describes. Reading the head row locks it on PostgreSQL, which orders concurrent appends;
    /// on SQLite the single writer already does.
    @discardableResult
    public func append(_ record: Record, at now: Int64, on db: any SQLDatabase) async throws -> AuditEntry {
        var head = db.select().columns("last_seq", "last_hash").from("audit_head").where("id", .equal, 1)
        if db.dialect.name == "postgresql" { head = head.for(.update) }
        guard let row = try await head.first() else { throw AuditError.missingHead }
        let entry = AuditEntry(
            seq: try row.decode(column: "last_seq", as: Int64.self) + 1, id: Identifier.make(at: now), at: now,
            actorKind: record.actor.kind.rawValue, actorId: record.actor.id, actorName: record.actor.name,
            action: record.action, targetType: record.targetType, targetId: record.targetId,
            summary: record.summary, prevHash: try row.decode(column: "last_hash", as: String.self),
            signedWith: keys?.signing)
        if db.dialect.name == "postgresql" {
            // One round trip, not two, while this transaction holds the head: every write waits for it.
            try await db.raw(
                """
                WITH entry AS (\(try RowInsert(into: "audit_log", entry)))
                UPDATE audit_head SET last_seq = \(bind: entry.seq), last_hash = \(bind: entry.hash) WHERE id = 1
                """
            ).run()
            return entry
        }
        try await db.insert(row: entry, into: "audit_log")
        try await db.update("audit_head").set("last_seq", to: entry.seq).set("last_hash", to: entry.hash)
            .where("id", .equal, 1).run()
        return entry
    }

    /// The sequence number the next entry will take.
    public static func nextSeq(_ pool: any DatabasePool) async throws -> Int64 {
        let head = try await pool.read {
            try await $0.select().column("last_seq").from("audit_head").where("id", .equal, 1).first()
        }
        guard let head else { throw AuditError.missingHead }
        return try head.decode(column: "last_seq", as: Int64.self) + 1
    }

    public struct Filter: Sendable {
        public var actorId: String?
        public var targetType: String?
        public var targetId: String?
        public init(actorId: String? = nil, targetType: String? = nil, targetId: String? = nil) {
            self.actorId = actorId
            self.targetType = targetType
            self.targetId = targetId
        }
    }

    /// Newest first, paged by sequence number.
    public func list(_ filter: Filter, beforeSeq: Int64?, limit: Int, on db: any SQLDatabase) async throws
        -> [AuditEntry]
    {
        var query = db.select().column("*").from("audit_log")
        if let beforeSeq { query = query.where("seq", .lessThan, beforeSeq) }
        if let actorId = filter.actorId { query = query.where("actor_id", .equal, actorId) }
        if let targetType = filter.targetType { query = query.where("target_type", .equal, targetType) }
        if let targetId = filter.targetId { query = query.where("target_id", .equal, targetId) }
        return try await query.orderBy("seq", .descending).limit(limit).all(decoding: AuditEntry.self, with: rowDecoder)
    }

    /// Walks the log in sequence order, a chunk at a time, and reports the first break. The head
    /// is read first and the walk stops at it: an entry and the head move in one transaction, so
    /// entries appended while the walk runs are simply not part of this check.
    public func verify(_ pool: any DatabasePool, anchors: [Int64: String] = [:], chunk: Int = 2000) async throws
        -> AuditChainVerifier
    {
        let head = try await pool.read { db in
            try await db.select().columns("last_seq", "last_hash").from("audit_head").where("id", .equal, 1).first()
        }
        guard let head else { throw AuditError.missingHead }
        let headSeq = try head.decode(column: "last_seq", as: Int64.self)
        let headHash = try head.decode(column: "last_hash", as: String.self)
        var verifier = AuditChainVerifier(keys: keys, anchors: anchors)
        var after: Int64 = 0
        while verifier.firstBreak == nil {
            let entries = try await pool.read { db in
                try await db.select().column("*").from("audit_log").where("seq", .greaterThan, after)
                    .where("seq", .lessThanOrEqual, headSeq)
                    .orderBy("seq").limit(chunk).all(decoding: AuditEntry.self, with: rowDecoder)
            }
            for entry in entries { verifier.feed(entry) }
            guard let last = entries.last, entries.count == chunk else { break }
            after = last.seq
        }
        verifier.finish(headSeq: headSeq, headHash: headHash)
        return verifier
    }
}

public enum AuditError: Error, CustomStringConvertible {
    case missingHead
    public var description: String { "The audit head row is missing: the audit log has been tampered with." }
}
