/// A dataset's record feed (topic `records`): each record a load writes is a change, numbered by
/// the load's version and its place in the load, kept once however many subscribe. Each webhook
/// subscription keeps a cursor, the last change its receiver took, and is sent the changes after
/// it a batch a POST; a pulled one's reader keeps its own cursor and reads a page at a time. A change costs the load one row, not a row per subscriber, so a burst of
/// changes to fifty subscribers is fifty cursors moving, not fifty times as many writes.
public enum RecordFeed {
    /// Where a change stands in its dataset's feed: versions follow the loads' commits (loads of
    /// one dataset take turns), ordinals the records' order in a load.
    public struct Position: Comparable, Hashable, Sendable, Codable {
        public var version: Int64
        public var ordinal: Int64

        public init(version: Int64, ordinal: Int64) { (self.version, self.ordinal) = (version, ordinal) }

        /// After every change of `version` and those before it: where a subscription made once
        /// version `version` is loaded starts, hearing only what comes after.
        public static func after(version: Int64) -> Position { Position(version: version, ordinal: Int64.max) }

        public static func < (a: Position, b: Position) -> Bool { (a.version, a.ordinal) < (b.version, b.ordinal) }

        /// The position as a pulled feed's cursor carries it: `<version>.<ordinal>`.
        public var token: String { "\(version).\(ordinal)" }

        /// A position from its `token`; nil for anything else.
        public init?(token: String) {
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let version = Int64(parts[0]), let ordinal = Int64(parts[1]), version >= 0,
                ordinal >= 0
            else { return nil }
            self.init(version: version, ordinal: ordinal)
        }
    }

    /// Whether a reader at `cursor` has missed changes pruned away: those up to `horizon`, the
    /// last change pruned from the dataset's feed (none pruned: nothing missed). A reader at or
    /// past the horizon missed nothing, since pruning takes the oldest first.
    public static func missed(after cursor: Position, horizon: Position?) -> Bool {
        horizon.map { cursor < $0 } ?? false
    }

    /// One record written by one load.
    public struct Change: Equatable, Sendable {
        /// Made when the load wrote the record: it begins with that time (`Identifier`).
        public var id: String
        public var position: Position
        public var key: String
        /// When the load wrote its records (it commits a moment later).
        public var at: Int64

        public init(id: String, position: Position, key: String, at: Int64) {
            (self.id, self.position, self.key, self.at) = (id, position, key, at)
        }
    }

    /// How a webhook feed stands, as its owner sees it beside the subscription: where its
    /// cursor is, what its receiver took, and how the last attempt went.
    public struct Status: Codable, Equatable, Sendable {
        /// After the last change the receiver took (a position's `token`).
        public var position: String
        /// Changes the receiver took, all told, and when it last took some.
        public var delivered: Int64
        public var deliveredAt: Int64?
        /// Failed attempts at the batch being tried again (0: none failing), and when the next is due.
        public var attempts: Int
        public var nextAttemptAt: Int64
        public var lastStatus: Int?
        public var lastError: String?
        /// The last change pruned before the feed could send it, when it resumed after such a gap.
        public var missedThrough: String?

        public init(
            position: Position, delivered: Int64, deliveredAt: Int64?, attempts: Int, nextAttemptAt: Int64,
            lastStatus: Int?, lastError: String?, missedThrough: String?
        ) {
            (self.position, self.delivered, self.deliveredAt) = (position.token, delivered, deliveredAt)
            (self.attempts, self.nextAttemptAt, self.lastStatus) = (attempts, nextAttemptAt, lastStatus)
            (self.lastError, self.missedThrough) = (lastError, missedThrough)
        }
    }

    /// The changes one POST carries when the subscriber names no batch size (a feed's receiver
    /// takes its changes in order, a POST at a time; one that asks for 1 gets each alone).
    public static let defaultBatchSize = 100

    /// The change's delivery id for one subscription: the same through every retry and replay, so
    /// a receiver that remembers ids applies each change once. It begins with the change's own
    /// id, and so with its time, as every delivery id does (the log's pruning counts on it).
    public static func deliveryId(subscriptionId: String, _ change: Change) -> String {
        "\(change.id).\(subscriptionId)"
    }

    /// A change as sent: the dataset, the load's version, the record's key and the record as it
    /// stands when sent, in the fields its subscriber reads (`record`: JSON text, or nil when it
    /// is no longer there), and when the load wrote it.
    public static func body(dataset: String, change: Change, record: String?) -> String {
        JSONText.object([
            ("topic", JSONText.quoted(SubscriptionTopic.records.rawValue)), ("dataset", JSONText.quoted(dataset)),
            ("version", String(change.position.version)), ("ordinal", String(change.position.ordinal)),
            ("key", JSONText.quoted(change.key)), ("record", record ?? "null"), ("at", String(change.at)),
        ])
    }

    /// What a POST of changes up to `last` leaves of a subscription's cursor.
    public enum Outcome: Equatable, Sendable {
        /// The receiver took them: the cursor moves past them, the attempts start again.
        case advanced(to: Position)
        /// Tried again at `at` (the cursor stays), as a delivery is (`WebhookPolicy`).
        case retry(at: Int64)
        /// Tried as often as a delivery is: the changes go to the dead-letter list, under their
        /// ids, and the cursor moves past them so the changes after are not held back for ever.
        case deadLettered(to: Position)
    }

    /// The outcome of the `attempts`-th POST (counting this one) of changes up to `last`, which
    /// got `status` (nil: no answer) at `now`.
    public static func outcome(status: Int?, attempts: Int, last: Position, at now: Int64) -> Outcome {
        switch WebhookPolicy.after(status: status, attempts: attempts, at: now) {
        case (.delivered, _): .advanced(to: last)
        case (.dead, _): .deadLettered(to: last)
        case (_, let next): .retry(at: next)
        }
    }
}
