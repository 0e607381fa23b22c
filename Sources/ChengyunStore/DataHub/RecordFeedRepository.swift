import ChengyunCore
import SQLKit

/// Record feeds in the database (`RecordFeed`): the changes loads write to datasets someone
/// follows, and the cursors of the `records` subscriptions following them.
struct RecordFeedRepository: Sendable {
    /// A `records` subscription's place in its dataset's feed, and how sending after it went.
    struct Cursor: Codable, Equatable, Sendable {
        var subscriptionId: String
        var datasetId: String
        var version: Int64
        var ordinal: Int64
        var attempts: Int
        var nextAttemptAt: Int64
        var lastStatus: Int?
        var lastError: String?
        var deliveredAt: Int64?
        /// Changes its receiver took, all told.
        var delivered: Int64
        /// Where the batch being tried again ends (none: no batch is failing).
        var heldVersion: Int64?
        var heldOrdinal: Int64?
        /// The last change pruned before this feed could send it, when it resumed after such a
        /// gap (a position's `token`; none: it has missed nothing).
        var missedThrough: String?

        var position: RecordFeed.Position {
            get { .init(version: version, ordinal: ordinal) }
            set { (version, ordinal) = (newValue.version, newValue.ordinal) }
        }

        var status: RecordFeed.Status {
            .init(
                position: position, delivered: delivered, deliveredAt: deliveredAt, attempts: attempts,
                nextAttemptAt: nextAttemptAt, lastStatus: lastStatus, lastError: lastError, missedThrough: missedThrough
            )
        }

        var held: RecordFeed.Position? {
            get { heldVersion.flatMap { v in heldOrdinal.map { .init(version: v, ordinal: $0) } } }
            set { (heldVersion, heldOrdinal) = (newValue?.version, newValue?.ordinal) }
        }
    }

    /// What one POST did to a cursor, written only if the cursor is still where the POST found
    /// it (a replay may have moved it meanwhile); with the dead letters it leaves, if any.
    struct Move: Sendable {
        var before: Cursor
        var after: Cursor
        var deadLetters: [Delivery] = []
    }

    /// Whether an active subscription follows the dataset's records (a load then writes its changes).
    func followed(datasetCode: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.select().column("id").from("subscriptions")
            .where("topic", .equal, SubscriptionTopic.records.rawValue).where("dataset_code", .equal, datasetCode)
            .where("state", .equal, SubscriptionState.active.rawValue).limit(1).first() != nil
    }

    /// A load's records as changes of `version`, numbered on from `first`.
    func append(keys: [String], datasetId: String, version: Int64, first: Int64, at: Int64, on db: any SQLDatabase)
        async throws
    {
        var ordinal = first
        for part in keys.chunks(of: 500) {
            let rows = part.map { key -> [any SQLExpression] in
                defer { ordinal += 1 }
                return [
                    SQLBind(Identifier.make(at: at)), SQLBind(datasetId), SQLBind(version), SQLBind(ordinal),
                    SQLBind(key), SQLBind(at),
                ]
            }
            let insert = db.insert(into: "dataset_changes")
                .columns("id", "dataset_id", "version", "ordinal", "record_key", "at")
            for row in rows { insert.values(row) }
            try await insert.run()
        }
    }

    func insert(_ cursor: Cursor, on db: any SQLDatabase) async throws {
        try await db.insert(into: "subscription_cursors").model(cursor, with: rowEncoder).run()
    }

    func cursor(subscriptionId: String, on db: any SQLDatabase) async throws -> Cursor? {
        try await cursors(subscriptionIds: [subscriptionId], on: db)[subscriptionId]
    }

    /// The cursors of these subscriptions, by subscription (those without one are absent).
    func cursors(subscriptionIds: [String], on db: any SQLDatabase) async throws -> [String: Cursor] {
        guard !subscriptionIds.isEmpty else { return [:] }
        let rows = try await db.select().column("*").from("subscription_cursors")
            .where("subscription_id", .in, subscriptionIds).all(decoding: Cursor.self, with: rowDecoder)
        return Dictionary(rows.map { ($0.subscriptionId, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The cursors of active webhook subscriptions due at `now` with changes after them, or left
    /// behind the horizon (so a feed whose changes were all pruned says so before the next load).
    /// A pulled feed's cursor only marks where it began: its reader keeps its own.
    func due(at now: Int64, on db: any SQLDatabase) async throws -> [Cursor] {
        try await db.raw(
            """
            SELECT c.* FROM subscription_cursors c JOIN subscriptions s ON s.id = c.subscription_id
            WHERE s.state = \(bind: SubscriptionState.active.rawValue) AND s.url IS NOT NULL
              AND c.next_attempt_at <= \(bind: now)
              AND (EXISTS (SELECT 1 FROM dataset_changes d
                      WHERE d.dataset_id = c.dataset_id AND (d.version, d.ordinal) > (c.version, c.ordinal))
                  OR EXISTS (SELECT 1 FROM dataset_change_horizons h
                      WHERE h.dataset_id = c.dataset_id AND (h.version, h.ordinal) > (c.version, c.ordinal)))
            ORDER BY c.subscription_id
            """
        ).all(decoding: Cursor.self, with: rowDecoder)
    }

    /// Up to `limit` changes of a dataset after `position` (and up to `end`, when given), in order.
    func changes(
        datasetId: String, after position: RecordFeed.Position, upTo end: RecordFeed.Position? = nil, limit: Int,
        on db: any SQLDatabase
    ) async throws -> [RecordFeed.Change] {
        let end = end ?? .init(version: Int64.max, ordinal: Int64.max)
        return try await db.raw(
            """
            SELECT id, version, ordinal, record_key, at FROM dataset_changes
            WHERE dataset_id = \(bind: datasetId) AND (version, ordinal) > (\(bind: position.version), \(bind: position.ordinal))
              AND (version, ordinal) <= (\(bind: end.version), \(bind: end.ordinal))
            ORDER BY version, ordinal LIMIT \(bind: limit)
            """
        ).all().map { row in
            RecordFeed.Change(
                id: try row.decode(column: "id", as: String.self),
                position: try Self.position(row),
                key: try row.decode(column: "record_key", as: String.self),
                at: try row.decode(column: "at", as: Int64.self))
        }
    }

    /// Where a replay from `from` starts: after the last change kept from before it (none kept:
    /// from the start of what is kept), and never before the horizon: what lay there is gone, and
    /// a replay does not miss it.
    func position(before from: Int64, datasetId: String, on db: any SQLDatabase) async throws -> RecordFeed.Position {
        let row = try await db.select().columns("version", "ordinal").from("dataset_changes")
            .where("dataset_id", .equal, datasetId).where("at", .lessThan, from)
            .orderBy("version", .descending).orderBy("ordinal", .descending).limit(1).first()
        let found = try row.map(Self.position) ?? .init(version: 0, ordinal: 0)
        return max(found, try await horizon(datasetId: datasetId, on: db) ?? found)
    }

    /// A row's `version` and `ordinal`.
    static func position(_ row: any SQLRow) throws -> RecordFeed.Position {
        .init(
            version: try row.decode(column: "version", as: Int64.self),
            ordinal: try row.decode(column: "ordinal", as: Int64.self))
    }

    /// How many changes lie after `start`, up to and including `end`.
    func count(
        datasetId: String, after start: RecordFeed.Position, upTo end: RecordFeed.Position, on db: any SQLDatabase
    )
        async throws -> Int
    {
        try await db.raw(
            """
            SELECT COUNT(*) AS n FROM dataset_changes
            WHERE dataset_id = \(bind: datasetId) AND (version, ordinal) > (\(bind: start.version), \(bind: start.ordinal))
              AND (version, ordinal) <= (\(bind: end.version), \(bind: end.ordinal))
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Puts off a cursor's next attempt (after an error of its own), its place and count kept.
    func delay(subscriptionId: String, until: Int64, on db: any SQLDatabase) async throws {
        try await db.update("subscription_cursors").set("next_attempt_at", to: until)
            .where("subscription_id", .equal, subscriptionId).run()
    }

    /// Moves a cursor for a replay, its attempts starting again now.
    func rewind(subscriptionId: String, to position: RecordFeed.Position, at now: Int64, on db: any SQLDatabase)
        async throws
    {
        try await db.update("subscription_cursors").set("version", to: position.version)
            .set("ordinal", to: position.ordinal).set("attempts", to: 0).set("next_attempt_at", to: now)
            .set("held_version", to: SQLLiteral.null).set("held_ordinal", to: SQLLiteral.null)
            .where("subscription_id", .equal, subscriptionId).run()
    }

    /// Writes the moves, a few hundred to a statement, each only if its cursor is still where its
    /// POST found it; then the dead letters of those that moved (one row an id). Says of each move
    /// whether it was written.
    func record(_ moves: [Move], on db: any SQLDatabase) async throws -> [Bool] {
        var moved: Set<String> = []
        for part in moves.chunks(of: 200) {
            let rows = part.map { m -> SQLQueryString in
                let (b, a) = (m.before, m.after)
                return """
                    (\(bind: a.subscriptionId), CAST(\(bind: b.version) AS BIGINT), CAST(\(bind: b.ordinal) AS BIGINT), \
                    CAST(\(bind: b.attempts) AS BIGINT), CAST(\(bind: a.version) AS BIGINT), \
                    CAST(\(bind: a.ordinal) AS BIGINT), CAST(\(bind: a.attempts) AS BIGINT), \
                    CAST(\(bind: a.nextAttemptAt) AS BIGINT), CAST(\(bind: a.lastStatus) AS BIGINT), \
                    CAST(\(bind: a.lastError) AS TEXT), CAST(\(bind: a.deliveredAt) AS BIGINT), \
                    CAST(\(bind: a.delivered) AS BIGINT), CAST(\(bind: a.heldVersion) AS BIGINT), \
                    CAST(\(bind: a.heldOrdinal) AS BIGINT), CAST(\(bind: a.missedThrough) AS TEXT))
                    """
            }
            let written = try await db.raw(
                """
                WITH v(id, was_version, was_ordinal, was_attempts, version, ordinal, attempts, next_attempt_at,
                       last_status, last_error, delivered_at, delivered, held_version, held_ordinal,
                       missed_through) AS (
                    VALUES \(rows.joined(separator: ", ")))
                UPDATE subscription_cursors SET version = v.version, ordinal = v.ordinal, attempts = v.attempts,
                    next_attempt_at = v.next_attempt_at, last_status = v.last_status, last_error = v.last_error,
                    delivered_at = v.delivered_at, delivered = v.delivered, held_version = v.held_version,
                    held_ordinal = v.held_ordinal, missed_through = v.missed_through
                FROM v WHERE subscription_cursors.subscription_id = v.id
                    AND subscription_cursors.version = v.was_version AND subscription_cursors.ordinal = v.was_ordinal
                    AND subscription_cursors.attempts = v.was_attempts
                RETURNING subscription_id
                """
            ).all()
            for row in written { moved.insert(try row.decode(column: "subscription_id", as: String.self)) }
        }
        let dead = moves.filter { moved.contains($0.after.subscriptionId) }.flatMap(\.deadLetters)
        for part in dead.chunks(of: 200) {
            // A change dead again after a replay is its dead letter again, as it now stands.
            try await db.insert(into: "subscription_deliveries").models(part, with: rowEncoder)
                .onConflict(with: ["id"]) {
                    $0.set(excludedValueOf: "state").set(excludedValueOf: "attempts")
                        .set(excludedValueOf: "next_attempt_at").set(excludedValueOf: "last_status")
                        .set(excludedValueOf: "last_error").set(excludedValueOf: "body")
                }.run()
        }
        return moves.map { moved.contains($0.after.subscriptionId) }
    }
}
