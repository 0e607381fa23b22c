import ChengyunCore
import Logging
import SQLKit
import Synchronization

/// NGSI-LD's periodic notifications (`timeInterval`): each sweep, every periodic subscription
/// whose interval is over gets its matching entities as they stand — devices with their latest
/// readings, which change too often to notify one by one — through the same outbox, signing,
/// retries and dead letters as the changes. The entities are read as the owner reads them now,
/// within the area the subscription was made for, in one scan of at most
/// `ContextBrokerService.scanLimit` candidates (ids named by every selector are looked up, not
/// scanned), `ContextEntityQuery.maxLimit` entities a notification.
///
/// A subscription is tried once an interval whatever comes of it (nothing matched, a scan too
/// wide): this node remembers when, and a node that starts leading reads it from the last
/// delivery. One whose last notification is still waiting for its receiver is passed over, so a
/// receiver that is down finds one snapshot waiting, not one an interval.
public struct ContextNotifier: Sendable {
    let platform: Platform
    let subscriptions = SubscriptionRepository()
    let logger: Logger
    private let tried = Tried()
    /// How often the sweeps come, in ms (the leader's clock ticks).
    public static let tick: Int64 = 2_000

    final class Tried: Sendable {
        let at = Mutex<[String: Int64]>([:])
    }

    public init(platform: Platform, logger: Logger = Logger(label: "chengyun.ngsi-ld")) {
        self.platform = platform
        self.logger = logger
    }

    /// One sweep: the notifications made.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = platform.now()
        let known = tried.at.withLock { $0 }
        let (due, owners) = try await platform.pool.read { db in
            let periodic = try await subscriptions.active(topics: [.ngsiLD], on: db).filter {
                $0.context?.timeInterval != nil
            }
            var last = known
            let unknown = periodic.map(\.id).filter { known[$0] == nil }
            last.merge(try await subscriptions.lastDelivered(subscriptionIds: unknown, on: db)) { $1 }
            let ready = periodic.filter {
                $0.context?.isDue(lastNotifiedAt: last[$0.id], at: now, tick: Self.tick) == true
            }
            let waiting = try await subscriptions.waiting(subscriptionIds: ready.map(\.id), on: db)
            let due = ready.filter { !waiting.contains($0.id) }
            return (due, try await SubscriptionOutbox.owners(of: due, on: db))
        }
        var made = 0
        for row in due {
            tried.at.withLock { $0[row.id] = now }
            guard let criteria = row.context, let reader = owners[row.ownerId]?.narrowed(to: row.areaPath) else {
                continue
            }
            do {
                made += try await notify(row, criteria, as: reader, at: now)
            } catch let error as DomainError {
                // A scan grown too wide (the area filled up) is the subscriber's to narrow; it is
                // tried again an interval later, and the others are notified meanwhile.
                logger.warning(
                    "periodic notification", metadata: ["subscription": "\(row.id)", "error": "\(error.code)"])
            }
        }
        return made
    }

    private func notify(
        _ row: SubscriptionRepository.Row, _ criteria: ContextSubscription, as reader: Principal, at now: Int64
    ) async throws -> Int {
        let found = try await platform.contextBroker.entities(
            try criteria.query(offset: 0, limit: ContextBrokerService.scanLimit), by: reader
        ).entities
        guard !found.isEmpty else { return 0 }
        let limit = ContextEntityQuery.maxLimit
        let pages = stride(from: 0, to: found.count, by: limit).map { Array(found[$0..<min($0 + limit, found.count)]) }
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
