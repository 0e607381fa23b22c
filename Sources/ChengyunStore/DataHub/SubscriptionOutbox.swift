import ChengyunCore
import Foundation
import SQLKit

/// The subscriptions' outbox: in the transaction of a change, one delivery per active subscription
/// it matches. A change that rolls back leaves none; one that commits has them all.
struct SubscriptionOutbox: Sendable {
    let subscriptions = SubscriptionRepository()

    /// A dataset's new version, for the subscriptions to that dataset.
    func datasetLoaded(_ code: String, load: DatasetLoad, on db: any SQLDatabase) async throws {
        let matching = try await subscriptions.active(topics: [.dataset], datasetCode: code, on: db)
        guard !matching.isEmpty else { return }
        let r = load.report
        let body = JSONText.object([
            ("topic", JSONText.quoted("dataset")), ("dataset", JSONText.quoted(code)),
            ("version", String(load.version ?? 0)), ("rowsIn", String(r.rowsIn)), ("kept", String(r.kept)),
            ("corrected", String(r.corrected)), ("refused", String(r.refused)), ("at", String(load.finishedAt)),
        ])
        try await subscriptions.insert(
            matching.map { Self.delivery(for: $0, topic: .dataset, body: body, at: load.finishedAt) }, on: db)
    }

    /// Platform events (alarms, warnings, incidents), for the subscriptions to their kind whose
    /// area holds them.
    func published(_ events: [MonitoringEvent], at now: Int64, on db: any SQLDatabase) async throws {
        let topics = events.compactMap { SubscriptionTopic(rawValue: $0.name) }.filter { $0 != .dataset }
        guard !topics.isEmpty else { return }
        let matching = try await subscriptions.active(topics: Array(Set(topics)), on: db)
        guard !matching.isEmpty else { return }
        var deliveries: [Delivery] = []
        for event in events {
            guard let topic = SubscriptionTopic(rawValue: event.name), topic != .dataset else { continue }
            let body = JSONText.object([
                ("topic", JSONText.quoted(topic.rawValue)), ("at", String(now)), ("event", event.json()),
            ])
            for subscription in matching where subscription.topic == topic.rawValue {
                guard event.areaPath.hasPrefix(subscription.areaPath) else { continue }
                deliveries.append(Self.delivery(for: subscription, topic: topic, body: body, at: now))
            }
        }
        try await subscriptions.insert(deliveries, on: db)
    }

    static func delivery(
        for subscription: SubscriptionRepository.Row, topic: SubscriptionTopic, body: String, at now: Int64
    )
        -> Delivery
    {
        Delivery(
            id: Identifier.make(at: now), subscriptionId: subscription.id, topic: topic, body: body,
            state: subscription.url == nil ? .stored : .pending, attempts: 0, nextAttemptAt: now, lastStatus: nil,
            lastError: nil, createdAt: now, deliveredAt: nil)
    }
}
