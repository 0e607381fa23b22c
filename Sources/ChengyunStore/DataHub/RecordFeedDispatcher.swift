import ChengyunCore
import Foundation
import Logging
import SQLKit

/// Sends record feeds (`RecordFeed`): for each webhook `records` subscription due (a pulled one's
/// reader reads it, `SubscriptionService.pull`), the changes after its
/// cursor, a batch a POST, each change with the record as it stands in the fields its owner reads
/// now. A 2xx moves the cursor past them; anything else holds the batch where it ends and tries it
/// again as a delivery is, and after the last attempt the batch goes to the dead-letter list and
/// the cursor past it. An owner who may no longer read the dataset (an inactive account, a grant
/// revoked or expired, the dataset withdrawn) hears nothing: the cursor moves past what they may
/// not hear. A batch read by a grant is metered and logged once, when first sent, as the grant's
/// `records_feed` read (a grant out of requests waits as long as it says, no attempt counted); a
/// consumer's read by the dataset's sharing is logged unmetered. Run by the leading node, beside `WebhookDispatcher`; each
/// cursor's move is committed (with others of the moment, `GroupedWrites`) before its next POST,
/// so a crash sends again at most the POST in flight, under the same ids.
public struct RecordFeedDispatcher: Sendable {
    let platform: Platform
    let feeds = RecordFeedRepository()
    let subscriptions = SubscriptionRepository()
    let logger: Logger

    public init(platform: Platform, logger: Logger = Logger(label: "chengyun.webhooks")) {
        (self.platform, self.logger) = (platform, logger)
    }

    /// One round: every subscription due, `parallel` at once, each sent up to `posts` POSTs of
    /// what follows its cursor (a failure ends its turn). A subscription that fails for a reason
    /// of its own is logged and left for the next round; the others go on.
    public func round(parallel: Int = 16, posts: Int = 8) async throws -> WebhookDispatcher.Round {
        let now = platform.now()
        let due = try await platform.pool.read { try await feeds.due(at: now, on: $0) }
        guard !due.isEmpty else { return .init() }
        let targets = try await platform.pool.read {
            try await subscriptions.find(ids: Set(due.map(\.subscriptionId)), on: $0)
        }
        // Judged once a round, from `now` on: changes made after it wait for the next round's
        // judgement (`RecordFeedRepository.batch`). An owner who could not be judged (the
        // database failing) is left for the next round, neither sent to nor passed over.
        // The owners as they stand now, read together (`SubscriptionOutbox.owners`: active ones).
        let owners = try await platform.pool.read {
            try await SubscriptionOutbox.owners(of: Array(targets.values), on: $0)
        }
        var (readers, unjudged) = ([Audience: Reader](), Set<Audience>())
        for audience in Set(targets.values.map(Audience.init)) {
            do {
                readers[audience] = try await reader(audience, owners[audience.owner])
            } catch let fenced as FencedOut {
                throw fenced
            } catch {
                logger.error(
                    "record feed", metadata: ["owner": "\(audience.owner)", "error": "\(String(reflecting: error))"])
                unjudged.insert(audience)
            }
        }
        let batches = Batches()
        let moves = GroupedWrites<RecordFeedRepository.Move> { [feeds] moves in
            try await platform.pool.transaction { try await feeds.record(moves, on: $0) }
        }
        let work = due.compactMap { cursor in targets[cursor.subscriptionId].map { (cursor, $0) } }
        return try await WebhookDispatcher.concurrently(work, width: parallel) {
            [readers, unjudged, logger] cursor, target in
            guard !unjudged.contains(Audience(target)) else { return .init() }
            do {
                return try await send(
                    after: cursor, to: target, reading: readers[Audience(target)], judgedAt: now, posts: posts,
                    batches: batches, recording: moves)
            } catch let fenced as FencedOut {
                throw fenced
            } catch {
                logger.error(
                    "record feed", metadata: ["subscription": "\(target.id)", "error": "\(String(reflecting: error))"])
                // Tried again in a few seconds, not at every step of the dispatcher.
                try? await platform.pool.transaction {
                    try await feeds.delay(subscriptionId: target.id, until: platform.now() + 5_000, on: $0)
                }
                return .init()
            }
        }
    }

    /// A subscription's owner and dataset: who is judged, once a round, for what.
    private struct Audience: Hashable {
        var owner: String
        var dataset: String

        init(_ target: SubscriptionRepository.Row) { (owner, dataset) = (target.ownerId, target.datasetCode ?? "") }
    }

    /// An owner who may read the dataset now, and what they read of it.
    struct Reader: Sendable {
        var owner: Principal
        var readable: DatasetRecordService.Readable
    }

    /// The owner as they may read the dataset now, or nil when they may not read it (an owner
    /// not given: no longer active).
    private func reader(_ audience: Audience, _ owner: Principal?) async throws -> Reader? {
        guard let owner else { return nil }
        do {
            let readable = try await platform.datasetRecords.readable(audience.dataset, by: owner)
            return readable.loaded ? Reader(owner: owner, readable: readable) : nil
        } catch is DomainError {
            return nil
        }
    }

    private func send(
        after start: RecordFeedRepository.Cursor, to target: SubscriptionRepository.Row, reading reader: Reader?,
        judgedAt: Int64, posts: Int, batches: Batches, recording moves: GroupedWrites<RecordFeedRepository.Move>
    ) async throws -> WebhookDispatcher.Round {
        var (cursor, round) = (start, WebhookDispatcher.Round())
        let size = max(1, target.batchSize)
        for _ in 0..<posts {
            let read = try await batches.batch(Batches.Key(cursor, size, reader?.readable)) { [cursor] in
                try await platform.pool.read {
                    try await feeds.batch(
                        datasetId: cursor.datasetId, after: cursor.position, upTo: cursor.held, judgedAt: judgedAt,
                        limit: size, reading: reader?.readable, on: $0)
                }
            }
            var move = RecordFeedRepository.Move(before: cursor, after: cursor)
            if let horizon = read.horizon, RecordFeed.missed(after: cursor.position, horizon: horizon) {
                // Left behind the pruning (the leader down, or a grant refused, longer than the
                // retention): it goes on after the horizon and keeps what it missed.
                logger.warning(
                    "record feed missed pruned changes",
                    metadata: ["subscription": "\(target.id)", "through": "\(horizon.token)"])
                (move.after.position, move.after.held, move.after.attempts) = (horizon, nil, 0)
                move.after.missedThrough = horizon.token
                guard try await moves.record([move]) else { break }
                cursor = move.after
                continue
            }
            let batch = read.items
            guard let last = batch.last?.change else {
                // A held batch pruned away meanwhile: the hold ends, and what follows is read.
                guard cursor.held != nil else { break }
                move.after.held = nil
                guard try await moves.record([move]) else { break }
                cursor = move.after
                continue
            }
            guard let reader, let url = target.url.flatMap(URL.init) else {
                // Not theirs to hear: passed over, not sent and not counted, and no retry pending.
                (move.after.position, move.after.attempts, move.after.held) = (last.position, 0, nil)
                guard try await moves.record([move]) else { break }
                cursor = move.after
                continue
            }
            let deliveries = batch.map { change, body in
                SubscriptionOutbox.delivery(
                    RecordFeed.deliveryId(subscriptionId: target.id, change), for: target, topic: .records,
                    body: body ?? "", at: change.at)
            }
            // An address refused, or the grant's limits: not an attempt (nothing held, no dead
            // letter holds a record never sent) and not metered, tried again after a wait. The
            // address is looked up first: a read never sent is not counted.
            let refused =
                await OutboundAddress.admits(url)
                ? try await admitted(reader, first: cursor.held == nil)
                : (OutboundAddress.refusal, OutboundAddress.retryMillis)
            if let refused {
                (move.after.nextAttemptAt, move.after.lastError) = (platform.now() + refused.wait, refused.code)
                try await moves.record([move])
                round.failed += batch.count
                break
            }
            let answer = await platform.webhooks.sendAdmitted(deliveries, to: url, target: target)
            let at = platform.now()
            move.after.attempts += 1
            (move.after.lastStatus, move.after.lastError) = (answer.status, answer.error)
            switch RecordFeed.outcome(status: answer.status, attempts: move.after.attempts, last: last.position, at: at)
            {
            case .advanced(let position):
                (move.after.position, move.after.attempts, move.after.nextAttemptAt) = (position, 0, at)
                (move.after.held, move.after.deliveredAt) = (nil, at)
                move.after.delivered += Int64(batch.count)
                round.delivered += batch.count
            case .retry(let next):
                // Tried again whole and no larger: changes made meanwhile wait for the next batch.
                (move.after.nextAttemptAt, move.after.held) = (next, last.position)
                round.failed += batch.count
            case .deadLettered(let position):
                (move.after.position, move.after.nextAttemptAt, move.after.held) = (position, at, nil)
                move.deadLetters = deliveries.map {
                    var dead = $0
                    (dead.state, dead.attempts, dead.nextAttemptAt) = (.dead, move.after.attempts, at)
                    (dead.lastStatus, dead.lastError) = (answer.status, answer.error)
                    return dead
                }
                move.after.attempts = 0
            }
            // Refused: a replay moved the cursor meanwhile, and the next round starts from there.
            guard try await moves.record([move]) else { break }
            round.dead += move.deadLetters.count
            guard move.after.attempts == 0 else { break }
            cursor = move.after
        }
        return round
    }

    /// A batch's read, the first time it is sent (its retries are the same read): metered when
    /// the owner reads by a grant, and logged unmetered when a consumer reads by the sharing.
    /// Returns the grant's refusal (its code, and how long to wait) when it is out of requests.
    private func admitted(_ reader: Reader, first: Bool) async throws -> (code: String, wait: Int64)? {
        guard first else { return nil }
        do {
            try await platform.datasetRecords.meter(reader.readable, by: reader.owner, operation: "records_feed")
        } catch let refused as DomainError {
            return (refused.code.rawValue, Int64(max(1, refused.retryAfterSeconds ?? 60)) * 1_000)
        }
        return nil
    }

    /// A round's batches, each read and written out once: subscribers who read the same fields of
    /// a dataset from the same place (fifty following one dataset, in step) share one read of its
    /// changes and records and one body a change, where each would read and build its own.
    actor Batches {
        struct Key: Hashable {
            var dataset: String
            var after: RecordFeed.Position
            var held: RecordFeed.Position?
            var limit: Int
            /// The fields read, in order (none: passed over); the bodies differ by them alone.
            var fields: [String]?

            init(_ cursor: RecordFeedRepository.Cursor, _ limit: Int, _ reader: DatasetRecordService.Readable?) {
                (dataset, after, held, self.limit) = (cursor.datasetId, cursor.position, cursor.held, limit)
                fields = reader.map { $0.fields.map(\.name) }
            }
        }
        typealias Batch = RecordFeedRepository.Batch
        private var made: [Key: Task<Batch, any Error>] = [:]

        func batch(_ key: Key, _ make: @escaping @Sendable () async throws -> Batch) async throws -> Batch {
            if let task = made[key] { return try await task.value }
            let task = Task { try await make() }
            made[key] = task
            return try await task.value
        }
    }
}
