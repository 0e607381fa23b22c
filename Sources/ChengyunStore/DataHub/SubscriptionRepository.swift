import ChengyunCore
import Foundation
import SQLKit

/// Subscriptions and their deliveries in the database.
struct SubscriptionRepository: Sendable {
    struct Row: Codable {
        var id: String
        var ownerId: String
        var areaPath: String
        var topic: String
        var datasetCode: String?
        var url: String?
        var secret: String
        var state: String
        var createdAt: Int64
        var criteria: String?
        var batchSize: Int

        var context: ContextSubscription? {
            criteria.flatMap { try? JSONDecoder().decode(ContextSubscription.self, from: Data($0.utf8)) }
        }

        var subscription: Subscription {
            var subscription = Subscription(
                id: id, ownerId: ownerId, areaPath: areaPath, topic: SubscriptionTopic(rawValue: topic) ?? .dataset,
                datasetCode: datasetCode, url: url, createdAt: createdAt)
            subscription.state = SubscriptionState(rawValue: state) ?? .cancelled
            subscription.criteria = context
            subscription.batchSize = batchSize
            return subscription
        }
    }

    func insert(_ subscription: Subscription, secret: String, on db: any SQLDatabase) async throws {
        let row = Row(
            id: subscription.id, ownerId: subscription.ownerId, areaPath: subscription.areaPath,
            topic: subscription.topic.rawValue, datasetCode: subscription.datasetCode, url: subscription.url,
            secret: secret, state: subscription.state.rawValue, createdAt: subscription.createdAt,
            criteria: try subscription.criteria.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) },
            batchSize: subscription.batchSize)
        try await db.insert(into: "subscriptions").model(row, with: rowEncoder).run()
    }

    func find(id: String, on db: any SQLDatabase) async throws -> Row? {
        try await db.select().column("*").from("subscriptions").where("id", .equal, id)
            .first(decoding: Row.self, with: rowDecoder)
    }

    func count(ownerId: String, on db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("subscriptions")
            .where("owner_id", .equal, ownerId).where("state", .equal, SubscriptionState.active.rawValue).first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    func setState(id: String, _ state: SubscriptionState, on db: any SQLDatabase) async throws {
        try await db.update("subscriptions").set("state", to: state.rawValue).where("id", .equal, id).run()
    }

    func list(
        ownerId: String, topic: SubscriptionTopic? = nil, state: SubscriptionState? = nil, page: PageRequest,
        on db: any SQLDatabase
    ) async throws -> Page<Subscription> {
        let query = db.select().column("*").from("subscriptions").where("owner_id", .equal, ownerId)
        if let topic { query.where("topic", .equal, topic.rawValue) }
        if let state { query.where("state", .equal, state.rawValue) }
        let rows = try await page.apply(to: query).all(decoding: Row.self, with: rowDecoder)
        return page.page(rows.map(\.subscription), id: \.id)
    }

    /// The active subscriptions of `topics`; for `dataset`, those of one dataset.
    func active(topics: [SubscriptionTopic], datasetCode: String? = nil, on db: any SQLDatabase) async throws
        -> [Row]
    {
        let query = db.select().column("*").from("subscriptions")
            .where("topic", .in, topics.map(\.rawValue)).where("state", .equal, SubscriptionState.active.rawValue)
        if let datasetCode { query.where("dataset_code", .equal, datasetCode) }
        return try await query.all(decoding: Row.self, with: rowDecoder)
    }

    // MARK: Deliveries

    func insert(_ deliveries: [Delivery], on db: any SQLDatabase) async throws {
        guard !deliveries.isEmpty else { return }
        try await db.insert(into: "subscription_deliveries").models(deliveries, with: rowEncoder).run()
    }

    /// Deliveries due at `now`, oldest first — none behind an earlier one of its subscription that
    /// is waiting to be tried again, so each subscription's changes go in order and a receiver that
    /// is down holds back its own deliveries, not everyone's.
    func due(at now: Int64, limit: Int, on db: any SQLDatabase) async throws -> [Delivery] {
        try await db.raw(
            """
            SELECT d.* FROM subscription_deliveries d
            WHERE d.state = 'pending' AND d.next_attempt_at <= \(bind: now)
              AND NOT EXISTS (SELECT 1 FROM subscription_deliveries e
                  WHERE e.subscription_id = d.subscription_id AND e.state = 'pending' AND e.id < d.id
                    AND e.next_attempt_at > \(bind: now))
            ORDER BY d.id LIMIT \(bind: limit)
            """
        ).all(decoding: Delivery.self, with: rowDecoder)
    }

    /// Records attempts, a few hundred to a statement — each unless a replay or a cancellation
    /// changed its delivery meanwhile (it is no longer pending under the attempts it had before).
    func record(_ attempts: [Delivery], on db: any SQLDatabase) async throws {
        for part in stride(from: 0, to: attempts.count, by: 300) {
            let rows = attempts[part..<min(part + 300, attempts.count)].map { d -> SQLQueryString in
                """
                (\(bind: d.id), \(bind: d.state.rawValue), CAST(\(bind: d.attempts) AS BIGINT), \
                CAST(\(bind: d.nextAttemptAt) AS BIGINT), CAST(\(bind: d.lastStatus) AS BIGINT), \
                CAST(\(bind: d.lastError) AS TEXT), CAST(\(bind: d.deliveredAt) AS BIGINT))
                """
            }
            try await db.raw(
                """
                WITH v(id, state, attempts, next_attempt_at, last_status, last_error, delivered_at) AS (
                    VALUES \(rows.joined(separator: ", ")))
                UPDATE subscription_deliveries SET state = v.state, attempts = v.attempts,
                    next_attempt_at = v.next_attempt_at, last_status = v.last_status, last_error = v.last_error,
                    delivered_at = v.delivered_at
                FROM v WHERE subscription_deliveries.id = v.id AND subscription_deliveries.state = 'pending'
                    AND subscription_deliveries.attempts = v.attempts - 1
                """
            ).run()
        }
    }

    /// Subscriptions by id, read together.
    func find(ids: Set<String>, on db: any SQLDatabase) async throws -> [String: Row] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.select().column("*").from("subscriptions").where("id", .in, Array(ids))
            .all(decoding: Row.self, with: rowDecoder)
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func deliveries(subscriptionId: String, state: DeliveryState?, page: PageRequest, on db: any SQLDatabase)
        async throws -> Page<Delivery>
    {
        let query = db.select().column("*").from("subscription_deliveries")
            .where("subscription_id", .equal, subscriptionId)
        if let state { query.where("state", .equal, state.rawValue) }
        let rows = try await page.apply(to: query).all(decoding: Delivery.self, with: rowDecoder)
        return page.page(rows, id: \.id)
    }

    /// When each subscription's latest delivery was made (none: never, or long since pruned):
    /// the newest by id of each, an index lookup apiece.
    func lastDelivered(subscriptionIds: [String], on db: any SQLDatabase) async throws -> [String: Int64] {
        var last: [String: Int64] = [:]
        for id in subscriptionIds {
            last[id] = try await db.select().column("created_at").from("subscription_deliveries")
                .where("subscription_id", .equal, id).orderBy("id", .descending).limit(1).first()?
                .decode(column: "created_at", as: Int64.self)
        }
        return last
    }

    /// Which of these subscriptions have a delivery still waiting for its receiver.
    func waiting(subscriptionIds: [String], on db: any SQLDatabase) async throws -> Set<String> {
        guard !subscriptionIds.isEmpty else { return [] }
        let rows = try await db.select().distinct().column("subscription_id").from("subscription_deliveries")
            .where("state", .equal, DeliveryState.pending.rawValue).where("subscription_id", .in, subscriptionIds)
            .all()
        return Set(try rows.map { try $0.decode(column: "subscription_id", as: String.self) })
    }

    /// Sends again, under their own ids, a webhook subscription's deliveries made at or after `from`.
    func requeue(subscriptionId: String, from: Int64, at now: Int64, on db: any SQLDatabase) async throws -> Int {
        try await db.update("subscription_deliveries")
            .set("state", to: DeliveryState.pending.rawValue).set("attempts", to: 0).set("next_attempt_at", to: now)
            .set("delivered_at", to: SQLLiteral.null)
            .where("subscription_id", .equal, subscriptionId).where("created_at", .greaterThanOrEqual, from)
            .where("state", .notEqual, DeliveryState.stored.rawValue)
            .returning("id").all().count
    }
}

/// One change on its way to one subscriber: its id is the receiver's key for applying it once.
public struct Delivery: Codable, Equatable, Sendable {
    public var id: String
    public var subscriptionId: String
    public var topic: SubscriptionTopic
    /// The JSON sent (or read).
    public var body: String
    public var state: DeliveryState
    public var attempts: Int
    public var nextAttemptAt: Int64
    /// The receiver's last HTTP status, and what went wrong when it did not answer.
    public var lastStatus: Int?
    public var lastError: String?
    public var createdAt: Int64
    public var deliveredAt: Int64?
}
