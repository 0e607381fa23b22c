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

    /// Records an attempt — unless a replay or a cancellation changed the delivery meanwhile.
    /// `attempts` is how many the delivery had before this one.
    func update(_ delivery: Delivery, after attempts: Int, on db: any SQLDatabase) async throws {
        try await db.update("subscription_deliveries")
            .set("state", to: delivery.state.rawValue).set("attempts", to: delivery.attempts)
            .set("next_attempt_at", to: delivery.nextAttemptAt).set("last_status", to: delivery.lastStatus)
            .set("last_error", to: delivery.lastError).set("delivered_at", to: delivery.deliveredAt)
            .where("id", .equal, delivery.id).where("state", .equal, DeliveryState.pending.rawValue)
            .where("attempts", .equal, attempts).run()
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
