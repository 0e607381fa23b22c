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
/// wide; a database error is tried again at the next sweep): the leading node remembers when,
/// and a node that starts leading (or takes the lead back) reads it from the last delivery. One
/// with a delivery still waiting for its receiver (pending, a replay's included) is passed over,
/// so a receiver that is down finds one snapshot waiting, not one an interval.
public struct ContextNotifier: Sendable {
    let platform: Platform
    let subscriptions = SubscriptionRepository()
    let logger: Logger
    private let tried = Tried()
    /// How often the sweeps come, in ms (the leader's clock ticks).
    public static let tick: Int64 = 2_000

    /// When each periodic subscription was last tried (nil: known never notified), as this node
    /// saw it while leading under `epoch`; a lead lost and taken back starts from the deliveries.
    final class Tried: Sendable {
        struct Memory {
            var epoch: Int64?
            var at: [String: Int64?] = [:]
        }
        let memory = Mutex(Memory())

        /// What is remembered under `epoch`, forgotten first when the lead was another's since.
        func current(epoch: Int64?) -> [String: Int64?] {
            memory.withLock {
                if $0.epoch != epoch { $0 = Memory(epoch: epoch) }
                return $0.at
            }
        }

        /// Remembers a try.
        func remember(_ id: String, at time: Int64) {
            memory.withLock { $0.at[id] = time }
        }

        /// Remembers `times`, and forgets subscriptions no longer among `live`.
        func keep(_ times: [String: Int64?], live: Set<String>) {
            memory.withLock {
                $0.at.merge(times) { $1 }
                $0.at = $0.at.filter { live.contains($0.key) }
            }
        }
    }

    public init(platform: Platform, logger: Logger = Logger(label: "chengyun.ngsi-ld")) {
        self.platform = platform
        self.logger = logger
    }

    /// One sweep: the notifications made.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = platform.now()
        let known = tried.current(epoch: platform.cluster.writeEpoch)
        let (due, owners) = try await platform.pool.read { db in
            let periodic = try await subscriptions.active(topics: [.ngsiLD], on: db).filter {
                $0.context?.timeInterval != nil
            }
            let unknown = periodic.map(\.id).filter { known.index(forKey: $0) == nil }
            let read = try await subscriptions.lastDelivered(subscriptionIds: unknown, on: db)
            let looked = Dictionary(uniqueKeysWithValues: unknown.map { ($0, read[$0]) })
            tried.keep(looked, live: Set(periodic.map(\.id)))
            let last = known.merging(looked) { $1 }
            let ready = periodic.filter {
                $0.context?.isDue(lastNotifiedAt: last[$0.id] ?? nil, at: now, tick: Self.tick) == true
            }
            let waiting = try await subscriptions.waiting(subscriptionIds: ready.map(\.id), on: db)
            let due = ready.filter { !waiting.contains($0.id) }
            return (due, try await SubscriptionOutbox.owners(of: due, on: db))
        }
        var made = 0
        for row in due {
            guard let criteria = row.context, let reader = owners[row.ownerId]?.narrowed(to: row.areaPath) else {
                tried.remember(row.id, at: now)
                continue
            }
            do {
                made += try await notify(row, criteria, as: reader, at: now)
            } catch let error as DomainError {
                // A scan grown too wide (the area filled up) is the subscriber's to narrow; it is
                // tried again an interval later, and the others are notified meanwhile. Any other
                // failure (the database's) is tried again at the next sweep.
                logger.warning(
                    "periodic notification", metadata: ["subscription": "\(row.id)", "error": "\(error.code)"])
            }
            tried.remember(row.id, at: now)
        }
        return made
    }

    private func notify(
        _ row: SubscriptionRepository.Row, _ criteria: ContextSubscription, as reader: Principal, at now: Int64
    ) async throws -> Int {
        let found = try await platform.contextBroker.entities(
            try criteria.query(offset: 0, limit: ContextBrokerService.scanLimit), by: reader
        ).entities
        // As many matches as the scan may read: there may be more, and a snapshot cut short is
        // not sent as if whole.
        guard found.count < ContextBrokerService.scanLimit else {
            throw DomainError(.invalid, code: "too_complex_query", "More than the scan may read match.")
        }
        guard !found.isEmpty else { return 0 }
        let pages = found.chunks(of: ContextEntityQuery.maxLimit)
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
