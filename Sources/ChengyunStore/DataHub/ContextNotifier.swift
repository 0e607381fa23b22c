import ChengyunCore
import Logging
import SQLKit

/// NGSI-LD's periodic notifications (`timeInterval`): each sweep, every periodic subscription
/// whose interval is over gets its matching entities as they stand — devices with their latest
/// readings, which change too often to notify one by one — through the same outbox, signing,
/// retries and dead letters as the changes. The entities are read as the owner reads them now,
/// within the area the subscription was made for; a notification carries at most a page of
/// `ContextEntityQuery.maxLimit`, and more matches make more notifications of that sweep.
public struct ContextNotifier: Sendable {
    let platform: Platform
    let subscriptions = SubscriptionRepository()
    let logger: Logger
    /// How often the sweeps come, in ms (the leader's clock ticks).
    public static let tick: Int64 = 2_000

    public init(platform: Platform, logger: Logger = Logger(label: "chengyun.ngsi-ld")) {
        self.platform = platform
        self.logger = logger
    }

    /// One sweep: the notifications made.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = platform.now()
        let (due, owners) = try await platform.pool.read { db in
            let periodic = try await subscriptions.active(topics: [.ngsiLD], on: db).filter {
                $0.context?.timeInterval != nil
            }
            let last = try await subscriptions.lastDelivered(subscriptionIds: periodic.map(\.id), on: db)
            let due = periodic.filter {
                $0.context?.isDue(lastNotifiedAt: last[$0.id], at: now, tick: Self.tick) == true
            }
            return (due, try await SubscriptionOutbox.owners(of: due, on: db))
        }
        var made = 0
        for row in due {
            guard let criteria = row.context, let reader = owners[row.ownerId]?.narrowed(to: row.areaPath) else {
                continue
            }
            do {
                made += try await notify(row, criteria, as: reader, at: now)
            } catch let error as DomainError {
                // A query grown too wide (the area filled up) is the subscriber's to narrow; the
                // others are still notified.
                logger.warning(
                    "periodic notification", metadata: ["subscription": "\(row.id)", "error": "\(error.code)"])
            }
        }
        return made
    }

    private func notify(
        _ row: SubscriptionRepository.Row, _ criteria: ContextSubscription, as reader: Principal, at now: Int64
    ) async throws -> Int {
        let limit = ContextEntityQuery.maxLimit
        var pages: [[ContextEntity]] = []
        repeat {
            let page = try await platform.contextBroker.entities(
                try criteria.query(offset: pages.count * limit, limit: limit), by: reader)
            guard !page.entities.isEmpty else { break }
            pages.append(page.entities)
        } while pages.last?.count == limit
        guard !pages.isEmpty else { return 0 }
        let ids = SubscriptionOutbox.ids(pages.count, at: now)
        let deliveries = zip(ids, pages).map { id, entities in
            SubscriptionOutbox.delivery(
                id, for: row, topic: .ngsiLD,
                body: criteria.notification(id: id, subscriptionId: row.id, entities: entities, at: now), at: now)
        }
        try await platform.pool.transaction { try await subscriptions.insert(deliveries, on: $0) }
        return deliveries.count
    }
}
