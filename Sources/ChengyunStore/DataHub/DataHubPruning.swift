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

    /// Returns the rows removed from each log; a round that removed any leaves one audit entry.
    @discardableResult
    public func prune() async throws -> (deliveries: Int, accessLog: Int) {
        let now = platform.now()
        let day: Int64 = 86_400_000
        let retention = platform.settings.dataHubRetention
        let deliveries = try await removeAll(
            from: "subscription_deliveries", before: now - Int64(max(1, retention.deliveryDays)) * day,
            where: "state <> '\(DeliveryState.pending.rawValue)'")
        let accessLog = try await removeAll(
            from: "dataset_access_log", before: now - Int64(max(1, retention.accessLogDays)) * day, where: nil)
        if deliveries + accessLog > 0 {
            _ = try await platform.write(
                .system, "datahub.prune", target: "datahub",
                summary: { _ in
                    (
                        "logs",
                        "\(deliveries) deliveries and \(accessLog) access log entries past their retention removed"
                    )
                }
            ) { _ in () }
        }
        return (deliveries, accessLog)
    }

    private func removeAll(from table: String, before cutoff: Int64, where condition: String?) async throws -> Int {
        let bound = Identifier.floor(at: cutoff)
        let filter = condition.map { " AND \($0)" } ?? ""
        var removed = 0
        while true {
            let count = try await platform.pool.transaction { db in
                try await db.raw(
                    """
                    DELETE FROM \(ident: table) WHERE id IN (
                        SELECT id FROM \(ident: table) WHERE id < \(bind: bound)\(unsafeRaw: filter) ORDER BY id LIMIT \(literal: Self.slice))
                    RETURNING id
                    """
                ).all().count
            }
            removed += count
            if count < Self.slice { return removed }
        }
    }
}
