import ChengyunCore

/// What a telemetry batch did: values stored, values that were already stored (repeats are
/// harmless), each refused line with its reason, and how many alarms it raised, changed or cleared.
public struct IngestReport: Codable, Sendable, Equatable {
    public var accepted: Int
    public var duplicates: Int
    /// The first `listedRejections` refused lines, each with its reason…
    public var rejected: [RejectedReading]
    /// …and how many more were refused beyond them (counted, not listed, so a stream of bad
    /// lines does not grow the answer without bound).
    public var moreRejected: Int
    public var alarms: Int
    /// Of the accepted values, those queued for the node that judges their devices (in a
    /// cluster); whether any repeat a stored one is known when that node stores them.
    public var forwarded: Int

    /// Refused lines listed one by one in a report; the rest are counted.
    public static let listedRejections = 1000

    public init(accepted: Int = 0, duplicates: Int = 0, rejected: [RejectedReading] = [], alarms: Int = 0) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.rejected = rejected
        self.alarms = alarms
        moreRejected = 0
        forwarded = 0
    }

    /// Every line refused, listed or counted.
    public var rejectedCount: Int { rejected.count + moreRejected }

    public mutating func add(_ other: IngestReport) {
        accepted += other.accepted
        duplicates += other.duplicates
        let room = max(0, Self.listedRejections - rejected.count)
        forwarded += other.forwarded
        rejected += other.rejected.prefix(room)
        moreRejected += other.moreRejected + max(0, other.rejected.count - room)
        alarms += other.alarms
    }
}

/// What a monitoring turn hands back: its answer, what to tell live subscribers once it is
/// committed, and the alarms whose rules want a case.
struct TurnOutcome<Value> {
    var value: Value
    /// The events it wrote, numbered, for this node's streams once it committed.
    var events: [SequencedEvent] = []
    var casesToOpen: [Alarm] = []
    /// Rows the turn added to `readings_recent`.
    var staged = 0
}
