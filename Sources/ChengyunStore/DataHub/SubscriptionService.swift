import ChengyunCore
import Foundation
import SQLKit

/// Subscriptions (订阅): staff subscribe to a dataset they may read or to a kind of platform event
/// in their area, by webhook (signed with a secret shown once) or to pull by cursor; they read the
/// delivery log and the dead letters, and replay from a point. Each write is audited.
public struct SubscriptionService: Sendable {
    let platform: Platform
    let subscriptions = SubscriptionRepository()

    /// Every subscription is judged in each matching change's transaction: a bound keeps that cheap.
    public static let maxPerOwner = 50

    public init(platform: Platform) { self.platform = platform }

    public func subscribe(_ input: SubscriptionInput, by actor: Principal) async throws -> NewSubscription {
        var validator = Validator()
        validator.check(
            input.url.map(WebhookPolicy.isAcceptable) ?? true, "url", "invalid_url",
            "An absolute http or https URL of at most 500 characters.")
        let ofDataset = input.topic == .dataset || input.topic == .records
        validator.check(
            ofDataset == (input.dataset != nil), "dataset", "invalid_value",
            "Name the dataset for topics dataset and records, and only for them.")
        validator.check(
            input.topic != .ngsiLD, "topic", "invalid_value",
            "NGSI-LD subscriptions are made at /ngsi-ld/v1/subscriptions.")
        if let size = input.batchSize {
            validator.check(
                (1...WebhookBatch.maxSize).contains(size), "batchSize", "invalid_value",
                "From 1 (each delivery alone, the default) to \(WebhookBatch.maxSize) deliveries a POST.")
            validator.check(
                size == 1 || input.url != nil, "batchSize", "invalid_value", "Batches are for webhooks: give a url.")
        }
        try validator.finish()
        guard actor.kind == .staff else { throw DomainError.outOfScope() }
        if let code = input.dataset {
            // Only what the caller may read: its owner, the centre, its sharing, or a grant in force.
            _ = try await platform.datasetRecords.readable(code, by: actor)
        }
        let batchSize =
            input.batchSize ?? (input.topic == .records && input.url != nil ? RecordFeed.defaultBatchSize : 1)
        return try await create(
            topic: input.topic, dataset: input.dataset, url: input.url, criteria: nil, batchSize: batchSize, by: actor)
    }

    /// An NGSI-LD subscription: notified by webhook to its endpoint, through the same outbox.
    public func subscribe(_ criteria: ContextSubscription, by actor: Principal) async throws -> NewSubscription {
        guard actor.kind == .staff else { throw DomainError.outOfScope() }
        return try await create(
            topic: .ngsiLD, dataset: nil, url: criteria.endpoint, criteria: criteria, batchSize: 1, by: actor)
    }

    private func create(
        topic: SubscriptionTopic, dataset: String?, url: String?, criteria: ContextSubscription?, batchSize: Int,
        by actor: Principal
    ) async throws -> NewSubscription {
        guard let scope = actor.scope else { throw DomainError.outOfScope() }
        if url != nil {
            // Looked up for a caller who may subscribe (the dataset's checked before), below the cap.
            try await platform.pool.read { try await underCap(actor, on: $0) }
            do {
                try await OutboundAddress.checkNames([("url", url)])
            } catch let refusal as DomainError where topic == .ngsiLD {
                // The NGSI-LD door answers a subscription it cannot take as it answers any other.
                throw DomainError(
                    .invalid, code: "invalid_subscription",
                    "notification.endpoint.uri: " + (refusal.issues.first?.message ?? refusal.message))
            }
        }
        let now = platform.now()
        let secret = "whsec_" + SecureToken.make(bytes: 24)
        var subscription = Subscription(
            id: Identifier.make(at: now), ownerId: actor.id, areaPath: scope.path, topic: topic, datasetCode: dataset,
            url: url, createdAt: now)
        subscription.criteria = criteria
        subscription.batchSize = batchSize
        return try await platform.write(
            actor, "subscription.create", target: "subscription",
            summary: { ($0.subscription.id, "\($0.subscription.topic.rawValue) \($0.subscription.datasetCode ?? "")") }
        ) { db in
            try await underCap(actor, on: db)
            try await subscriptions.insert(subscription, secret: secret, on: db)
            if topic == .records, let dataset { try await follow(dataset, subscription.id, at: now, on: db) }
            return NewSubscription(subscription: subscription, secret: subscription.url == nil ? nil : secret)
        }
    }

    private func underCap(_ actor: Principal, on db: any SQLDatabase) async throws {
        guard try await subscriptions.count(ownerId: actor.id, on: db) < Self.maxPerOwner else {
            throw DomainError(
                .conflict, code: "too_many_subscriptions",
                "At most \(Self.maxPerOwner) active subscriptions each; cancel one first.")
        }
    }

    public func list(
        topic: SubscriptionTopic? = nil, state: SubscriptionState? = nil, page: PageRequest, by actor: Principal
    ) async throws -> Page<Subscription> {
        try await platform.pool.read { db in
            var found = try await subscriptions.list(
                ownerId: actor.id, topic: topic, state: state, page: page, on: db)
            found.items = try await withFeeds(found.items, on: db)
            return found
        }
    }

    public func subscription(id: String, by actor: Principal) async throws -> Subscription {
        try await platform.pool.read { db in
            try await withFeeds([try await own(id, actor, on: db).subscription], on: db)[0]
        }
    }

    /// Stops a subscription; its deliveries stay readable.
    public func cancel(id: String, by actor: Principal) async throws -> Subscription {
        try await platform.write(
            actor, "subscription.cancel", target: "subscription", summary: { ($0.id, "cancelled") }
        ) { db in
            var subscription = try await own(id, actor, on: db).subscription
            try await subscriptions.setState(id: id, .cancelled, on: db)
            subscription.state = .cancelled
            return subscription
        }
    }

    /// The delivery log, oldest first by cursor (a pulled subscription's feed; `state=dead` the
    /// dead-letter list), or newest first (`page.order`, as a person looks at it).
    public func deliveries(id: String, state: DeliveryState?, page: PageRequest, by actor: Principal) async throws
        -> Page<Delivery>
    {
        let row = try await platform.pool.read { try await own(id, actor, on: $0) }
        if row.topic == SubscriptionTopic.records.rawValue, row.url == nil, state == nil, page.order == .oldest {
            return try await pull(row, page: page, by: actor)
        }
        // A record feed's log holds records (its dead letters, say): read only by an owner who may
        // read the dataset now, as the feed itself is.
        if row.topic == SubscriptionTopic.records.rawValue {
            _ = try await platform.datasetRecords.readable(row.datasetCode ?? "", by: actor)
        }
        return try await platform.pool.read { db in
            var found = try await subscriptions.deliveries(subscriptionId: id, state: state, page: page, on: db)
            // A feed always says where it got to: the last delivery read, to ask after next time.
            if page.order == .oldest, found.nextCursor == nil, let last = found.items.last {
                found.nextCursor = PageRequest.encode(last.id)
            }
            return found
        }
    }

    /// Sends again every webhook delivery made at or after `from` (the dead ones included), each
    /// under its own id.
    public func replay(id: String, from: Int64, by actor: Principal) async throws -> Int {
        let now = platform.now()
        return try await platform.write(
            actor, "subscription.replay", target: "subscription", summary: { (id, "replay from \(from): \($0)") }
        ) { db in
            let row = try await own(id, actor, on: db)
            guard row.url != nil else {
                throw DomainError(
                    .conflict, code: "pulled_subscription", "A pulled subscription is read again by cursor.")
            }
            guard row.topic == SubscriptionTopic.records.rawValue else {
                return try await subscriptions.requeue(subscriptionId: id, from: from, at: now, on: db)
            }
            // A feed is sent again from its cursor, moved back before the first change at or after
            // `from` still kept: each under its own id, the dead-lettered ones too.
            let feeds = RecordFeedRepository()
            guard let cursor = try await feeds.cursor(subscriptionId: id, on: db) else { return 0 }
            let start = try await feeds.position(before: from, datasetId: cursor.datasetId, on: db)
            guard start < cursor.position else { return 0 }
            try await feeds.rewind(subscriptionId: id, to: start, at: now, on: db)
            return try await feeds.count(datasetId: cursor.datasetId, after: start, upTo: cursor.position, on: db)
        }
    }

    func own(_ id: String, _ actor: Principal, on db: any SQLDatabase) async throws
        -> SubscriptionRepository.Row
    {
        guard let row = try await subscriptions.find(id: id, on: db), row.ownerId == actor.id else {
            throw DomainError.notFound("Subscription \(id)")
        }
        return row
    }
}

/// A subscription as its owner asks for it: a topic, the dataset for `dataset`, and a webhook URL
/// (none: pulled by cursor) with how many deliveries it takes in one POST (default 1).
public struct SubscriptionInput: StrictInput {
    public var topic: SubscriptionTopic
    public var dataset: String?
    public var url: String?
    public var batchSize: Int?

    public enum Fields: String, CodingKey, CaseIterable { case topic, dataset, url, batchSize }

    public init(topic: SubscriptionTopic, dataset: String? = nil, url: String? = nil, batchSize: Int? = nil) {
        (self.topic, self.dataset, self.url, self.batchSize) = (topic, dataset, url, batchSize)
    }
}

/// A new subscription, with the webhook's signing secret shown this once.
public struct NewSubscription: Sendable, Encodable {
    public var subscription: Subscription
    public var secret: String?
}
