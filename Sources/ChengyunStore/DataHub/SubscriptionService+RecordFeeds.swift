import ChengyunCore
import SQLKit

/// Record feeds (`RecordFeed`) as their owners make and read them: a cursor where the feed
/// begins, the standing of a webhook feed beside its subscription, and a pulled feed's pages.
extension SubscriptionService {
    /// A record feed's cursor, after the dataset's last load: the dataset is locked first, so a
    /// load under way commits before it (writing no changes, since none followed when it began)
    /// and the next load writes its changes for this subscription. A webhook feed's cursor moves
    /// as its receiver takes changes; a pulled feed's stays where it began (its reader keeps its
    /// own) and is where a reader with no cursor starts.
    func follow(_ code: String, _ id: String, at now: Int64, on db: any SQLDatabase) async throws {
        guard let dataset = try await DatasetRepository().find(code: code, locking: true, on: db) else {
            throw DomainError.notFound("Dataset \(code)")
        }
        let version = try await DatasetPipelineRepository().table(datasetId: dataset.id, on: db)?.version ?? 0
        let start = RecordFeed.Position.after(version: Int64(version))
        try await RecordFeedRepository().insert(
            .init(
                subscriptionId: id, datasetId: dataset.id, version: start.version, ordinal: start.ordinal, attempts: 0,
                nextAttemptAt: now, delivered: 0), on: db)
    }

    /// The subscriptions, each webhook record feed with its standing.
    func withFeeds(_ found: [Subscription], on db: any SQLDatabase) async throws -> [Subscription] {
        let feeds = found.filter { $0.topic == .records && $0.url != nil }.map(\.id)
        guard !feeds.isEmpty else { return found }
        let cursors = try await RecordFeedRepository().cursors(subscriptionIds: feeds, on: db)
        return found.map { subscription in
            var subscription = subscription
            subscription.feed = cursors[subscription.id]?.status
            return subscription
        }
    }

    /// A pulled record feed's next page: up to `page.limit` changes after the reader's cursor (none
    /// given: after where the subscription began), each with the record as its owner may read it
    /// now, as stored deliveries under the ids a webhook would use. `nextCursor` always says where
    /// the page ended, to ask after next time. An owner who may no longer read the dataset is told
    /// so, and so is one who cancelled; each page is a read of the dataset (metered by a grant,
    /// empty or not, as any request is; logged for a consumer by the sharing). A cursor before
    /// changes pruned away is refused (`changes_pruned`), naming the cursor after them (`nextCursor`).
    func pull(_ row: SubscriptionRepository.Row, page: PageRequest, by actor: Principal) async throws
        -> Page<Delivery>
    {
        guard row.state == SubscriptionState.active.rawValue else {
            throw DomainError(
                .conflict, code: "subscription_cancelled",
                "A cancelled record feed is read no more: read the dataset's records, or subscribe again.")
        }
        let feeds = RecordFeedRepository()
        let judgedAt = platform.now()
        let reader = try await platform.datasetRecords.readable(row.datasetCode ?? "", by: actor)
        var given: RecordFeed.Position?
        if let token = page.afterId {
            guard let position = RecordFeed.Position(token: token) else {
                throw DomainError.validation([
                    FieldIssue(
                        field: "cursor", code: "invalid_cursor", message: "The cursor is not one this feed gave out.")
                ])
            }
            given = position
        }
        // The cursor where the feed began and the page after it, read together.
        let (start, batch) = try await platform.pool.read { [given] db in
            var start = given ?? RecordFeed.Position(version: 0, ordinal: 0)
            if given == nil, let begun = try await feeds.cursor(subscriptionId: row.id, on: db) {
                start = begun.position
            }
            let batch = try await feeds.batch(
                datasetId: reader.dataset.id, after: start, upTo: nil, judgedAt: judgedAt, limit: page.limit,
                reading: reader.loaded ? reader : nil, on: db)
            return (start, batch)
        }
        if let horizon = batch.horizon, RecordFeed.missed(after: start, horizon: horizon) {
            let resume = PageRequest.encode(horizon.token)
            var pruned = DomainError(
                .conflict, code: "changes_pruned",
                "Changes after this cursor were pruned (kept \(platform.settings.dataHubRetention.deliveryDays) days) before they were read. Read the dataset's records afresh, then go on from cursor \(resume)."
            )
            pruned.nextCursor = resume
            throw pruned
        }
        try await platform.datasetRecords.meter(reader, by: actor, operation: "records_feed")
        let items = batch.items.map { change, body in
            SubscriptionOutbox.delivery(
                RecordFeed.deliveryId(subscriptionId: row.id, change), for: row, topic: .records, body: body ?? "",
                at: change.at)
        }
        let end = batch.items.last?.change.position ?? start
        return Page(items: items, nextCursor: PageRequest.encode(end.token))
    }
}
