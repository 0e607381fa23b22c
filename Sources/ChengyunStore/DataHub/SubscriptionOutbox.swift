import ChengyunCore
import Foundation
import SQLKit

/// The subscriptions' outbox: in the transaction of a change, one delivery per active subscription
/// it matches. A change that rolls back leaves none; one that commits has them all. Each
/// subscriber is judged as they stand now: an active account, whose current scope holds the event
/// and who may still read the dataset (a revoked grant, a withdrawn dataset or a move to another
/// district ends what they hear).
struct SubscriptionOutbox: Sendable {
    let subscriptions = SubscriptionRepository()

    /// A dataset's new version, for the subscriptions to that dataset whose owners may read it.
    /// Returns whether it wrote any (webhook work, or a feed to pull).
    @discardableResult
    func datasetLoaded(_ dataset: Dataset, load: DatasetLoad, at now: Int64, on db: any SQLDatabase) async throws
        -> Bool
    {
        let code = dataset.code
        let rows = try await subscriptions.active(topics: [.dataset], datasetCode: code, on: db)
        // Whether each owner may read the dataset, judged once an owner (many subscribe several times).
        var mayRead: [String: Bool] = [:]
        for (id, owner) in try await Self.owners(of: rows, on: db) {
            let standing = DatasetStanding.of(
                owner, ownerDepartmentId: dataset.ownerDepartmentId, areaPath: dataset.areaPath)
            if DatasetStanding.mayReadRecords(of: dataset, standing: standing, isStaff: true) {
                mayRead[id] = true
            } else if let department = owner.departmentId, dataset.state == .published, dataset.sharingType != .none {
                mayRead[id] =
                    try await AccessApplicationRepository().activeGrant(
                        datasetId: dataset.id, departmentId: department, at: now, on: db) != nil
            }
        }
        let matching = rows.filter { mayRead[$0.ownerId] == true }
        guard !matching.isEmpty else { return false }
        let r = load.report
        let body = JSONText.object([
            ("topic", JSONText.quoted("dataset")), ("dataset", JSONText.quoted(code)),
            ("version", String(load.version ?? 0)), ("rowsIn", String(r.rowsIn)), ("kept", String(r.kept)),
            ("corrected", String(r.corrected)), ("refused", String(r.refused)), ("at", String(load.finishedAt)),
        ])
        let ids = Self.ids(matching.count, at: load.finishedAt)
        try await subscriptions.insert(
            zip(ids, matching).map { Self.delivery($0, for: $1, topic: .dataset, body: body, at: load.finishedAt) },
            on: db)
        return true
    }

    /// The subscriptions' owners as they stand now, by id, read together (a round trip each made
    /// a change to a dataset with fifty subscribers slow on PostgreSQL); none whose account is
    /// inactive.
    static func owners(of rows: [SubscriptionRepository.Row], on db: any SQLDatabase) async throws
        -> [String: Principal]
    {
        try await UserRepository().find(ids: Set(rows.map(\.ownerId)), on: db).filter(\.value.active)
            .mapValues { .staff($0) }
    }

    /// `count` ids in order: deliveries made in one transaction sort as they were made.
    static func ids(_ count: Int, at now: Int64) -> [String] {
        (0..<count).map { _ in Identifier.make(at: now) }.sorted()
    }

    /// Platform events (alarms, warnings, incidents, cases' steps), for the subscriptions to their
    /// kind whose area holds them; alarms and devices' state changes also for the NGSI-LD
    /// subscriptions whose selectors, watched attributes and query they match.
    func published<Event: SubscribedEvent>(_ events: [Event], at now: Int64, on db: any SQLDatabase) async throws {
        var topics = Set(events.compactMap(\.topic))
        let changes = events.map(\.contextChange)
        if changes.contains(where: { $0 != nil }) { topics.insert(.ngsiLD) }
        guard !topics.isEmpty else { return }
        let rows = try await subscriptions.active(topics: Array(topics), on: db)
        guard !rows.isEmpty else { return }
        let owners = try await Self.owners(of: rows, on: db)
        let matching = rows.compactMap { row in owners[row.ownerId].map { (row: row, owner: $0, criteria: row.context) }
        }
        guard !matching.isEmpty else { return }
        var deliveries: [(SubscriptionRepository.Row, SubscriptionTopic, body: (String) -> String)] = []
        for (event, change) in zip(events, changes) {
            let heard = matching.filter {
                event.areaPath.hasPrefix($0.row.areaPath) && $0.owner.canSee(path: event.areaPath)
            }
            if let topic = event.topic {
                let body = JSONText.object([
                    ("topic", JSONText.quoted(topic.rawValue)), ("at", String(now)), ("event", event.json()),
                ])
                for subscription in heard where subscription.row.topic == topic.rawValue {
                    deliveries.append((subscription.row, topic, { _ in body }))
                }
            }
            guard let (entity, changed) = change else { continue }
            for subscription in heard where subscription.row.topic == SubscriptionTopic.ngsiLD.rawValue {
                guard let criteria = subscription.criteria, criteria.types.contains(entity.type),
                    criteria.matches(entity, changed: changed)
                else { continue }
                let id = subscription.row.id
                deliveries.append(
                    (
                        subscription.row, .ngsiLD,
                        { criteria.notification(id: $0, subscriptionId: id, entities: [entity], at: now) }
                    ))
            }
        }
        let ids = Self.ids(deliveries.count, at: now)
        try await subscriptions.insert(
            zip(ids, deliveries).map { Self.delivery($0, for: $1.0, topic: $1.1, body: $1.body($0), at: now) }, on: db)
    }

    static func delivery(
        _ id: String, for subscription: SubscriptionRepository.Row, topic: SubscriptionTopic, body: String,
        at now: Int64
    ) -> Delivery {
        Delivery(
            id: id, subscriptionId: subscription.id, topic: topic, body: body,
            state: subscription.url == nil ? .stored : .pending, attempts: 0, nextAttemptAt: now, lastStatus: nil,
            lastError: nil, createdAt: now, deliveredAt: nil)
    }
}
