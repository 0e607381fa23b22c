import ChengyunCore
import SQLKit

/// A feed's reads with their bodies, and its horizon: where pruning has reached in each dataset's
/// feed (`RecordFeed.missed`).
extension RecordFeedRepository {
    /// A read of a feed: its changes, each with its body, and the dataset's horizon read after
    /// them. A prune commits its deletes and its horizon together, so one that came between shows
    /// in the horizon: a gap is never passed unseen.
    struct Batch: Sendable {
        var items: [(change: RecordFeed.Change, body: String?)]
        var horizon: RecordFeed.Position?
    }

    /// Up to `limit` changes after `position` (up to `end`, when given), in order, as far as the
    /// first made after `judgedAt` — when `reader` was judged, so a change loaded after a grant
    /// was revoked waits for the next judgement; one made earlier but placed later (another
    /// node's clock) waits too, never skipped — each with its body as `reader` reads the record
    /// now (no body when there is no reader: passed over, not sent). A read that finds changes
    /// pruned after `position` reads no records: it is refused or moved on, not sent.
    func batch(
        datasetId: String, after position: RecordFeed.Position, upTo end: RecordFeed.Position?, judgedAt: Int64,
        limit: Int, reading reader: DatasetRecordService.Readable?, on db: any SQLDatabase
    ) async throws -> Batch {
        let changes = try await changes(datasetId: datasetId, after: position, upTo: end, limit: limit, on: db)
            .prefix { $0.at <= judgedAt }
        var items = changes.map { (change: $0, body: String?.none) }
        let horizon = try await horizon(datasetId: datasetId, on: db)
        if let reader, !changes.isEmpty, !RecordFeed.missed(after: position, horizon: horizon) {
            let records = try await reader.table.records(keys: Set(changes.map(\.key)), on: db)
            items = changes.map { change in
                let record = records[change.key].map { RecordWriter.object(reader.fields, $0) }
                return (change, RecordFeed.body(dataset: reader.dataset.code, change: change, record: record))
            }
        }
        return Batch(items: items, horizon: horizon)
    }

    /// The last change pruned from the dataset's feed (none pruned: none).
    func horizon(datasetId: String, on db: any SQLDatabase) async throws -> RecordFeed.Position? {
        try await db.select().columns("version", "ordinal").from("dataset_change_horizons")
            .where("dataset_id", .equal, datasetId).first().map(Self.position)
    }

    /// Removes a slice of changes made before `bound` (an id floor), oldest first by id, and moves
    /// each dataset's horizon forward to the last change removed, in the same transaction: every
    /// change gone lies at or before its dataset's horizon.
    func prune(before bound: String, slice: Int, at now: Int64, on db: any SQLDatabase) async throws -> Int {
        let removed = try await db.raw(
            """
            DELETE FROM dataset_changes WHERE id IN (
                SELECT id FROM dataset_changes WHERE id < \(bind: bound) ORDER BY id LIMIT \(literal: slice))
            RETURNING dataset_id, version, ordinal
            """
        ).all()
        var last: [String: RecordFeed.Position] = [:]
        for row in removed {
            let (dataset, position) = (try row.decode(column: "dataset_id", as: String.self), try Self.position(row))
            last[dataset] = max(last[dataset] ?? position, position)
        }
        for (dataset, position) in last.sorted(by: { $0.key < $1.key }) {
            // Only ever forward: one load's changes share their millisecond, so slices taken by id
            // remove them in no particular order of their places.
            try await db.raw(
                """
                INSERT INTO dataset_change_horizons (dataset_id, version, ordinal, pruned_at)
                VALUES (\(bind: dataset), \(bind: position.version), \(bind: position.ordinal), \(bind: now))
                ON CONFLICT (dataset_id) DO UPDATE SET version = excluded.version, ordinal = excluded.ordinal,
                    pruned_at = excluded.pruned_at
                WHERE (dataset_change_horizons.version, dataset_change_horizons.ordinal)
                    < (excluded.version, excluded.ordinal)
                """
            ).run()
        }
        return removed.count
    }
}
