import ChengyunCore
import SQLKit

/// How long the data hub keeps its logs (`chengyun.datahub.deliveryDays`, `accessLogDays`).
public struct DataHubRetention: Sendable {
    /// Deliveries that reached an end — delivered, dead (the dead-letter list) or stored (a pulled
    /// subscription's feed) — older than this go; pending ones stay until they reach one.
    public var deliveryDays = 30
    /// Entries of the access log older than this go.
    public var accessLogDays = 180
    public init() {}
}

/// Prunes the data hub's logs past their retention (the leading node, once an hour). A slice of
/// rows a transaction, oldest first, found by the primary key: identifiers begin with their time,
/// so every row made before the cutoff has an id below `Identifier.floor(at:)`.
public struct DataHubPruning: Sendable {
    let platform: Platform
    static let slice = 10_000

    public init(platform: Platform) { self.platform = platform }

    /// Returns the rows removed from each log; each slice removed leaves an audit entry in its
    /// own transaction.
    @discardableResult
    public func prune() async throws -> (deliveries: Int, accessLog: Int) {
        let now = platform.now()
        let day: Int64 = 86_400_000
        let retention = platform.settings.dataHubRetention
        let deliveries = try await removeAll(
            from: "subscription_deliveries", what: "deliveries",
            before: now - Int64(max(1, retention.deliveryDays)) * day,
            where: "state <> '\(DeliveryState.pending.rawValue)'", at: now)
        // A record feed's changes are kept as long as deliveries: a replay reaches back as far.
        // Each dataset's horizon moves with them, so a reader left behind learns what it missed.
        let feeds = RecordFeedRepository()
        let changesCutoff = now - Int64(max(1, retention.deliveryDays)) * day
        _ = try await removeAll(from: "dataset_changes", what: "record feed changes", before: changesCutoff, at: now) {
            try await feeds.prune(before: Identifier.floor(at: changesCutoff), slice: Self.slice, at: now, on: $0)
        }
        let accessLog = try await removeAll(
            from: "dataset_access_log", what: "access log entries",
            before: now - Int64(max(1, retention.accessLogDays)) * day, where: nil, at: now)
        return (deliveries, accessLog)
    }

    private func removeAll(
        from table: String, what: String, before cutoff: Int64, where condition: String?, at now: Int64
    )
        async throws -> Int
    {
        let bound = Identifier.floor(at: cutoff)
        // Outside too: a row a replay made pending again meanwhile is checked afresh (PostgreSQL).
        let filter = condition.map { " AND \($0)" } ?? ""
        return try await removeAll(from: table, what: what, before: cutoff, at: now) { db in
            try await db.raw(
                """
                DELETE FROM \(ident: table) WHERE id IN (
                    SELECT id FROM \(ident: table) WHERE id < \(bind: bound)\(unsafeRaw: filter) ORDER BY id LIMIT \(literal: Self.slice))\(unsafeRaw: filter)
                RETURNING id
                """
            ).all().count
        }
    }

    /// Runs `slice` (which removes up to `Self.slice` rows and says how many) a transaction at a
    /// time until a slice comes short, each slice that removed any leaving an audit entry.
    private func removeAll(
        from table: String, what: String, before cutoff: Int64, at now: Int64,
        slice: @escaping @Sendable (any SQLDatabase) async throws -> Int
    ) async throws -> Int {
        var removed = 0
        while true {
            let count = try await platform.pool.transaction { db in
                let count = try await slice(db)
                if count > 0 {
                    try await platform.auditLog.append(
                        .init(
                            actor: .system, action: "datahub.prune", targetType: "datahub", targetId: table,
                            summary: "\(count) \(what) made before \(cutoff) removed (past their retention)"),
                        at: now, on: db)
                }
                return count
            }
            removed += count
            if count < Self.slice { return removed }
        }
    }
}
