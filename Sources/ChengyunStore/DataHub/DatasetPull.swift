import ChengyunCore

/// A dataset's scheduled HTTP pull as its owner sees it: the URL, the format, how often, and how
/// the last pull went.
public struct DatasetPull: Codable, Equatable, Sendable {
    public var datasetId: String
    public var datasetCode: String
    public var url: String
    public var format: LoadFormat
    public var intervalMinutes: Int
    /// Whose ownership the loads run under; judged as they stand at each pull.
    public var ownerId: String
    public var etag: String?
    public var lastModified: String?
    public var bodyHash: String?
    public var nextRunAt: Int64
    /// While a run is under way: until when its claim holds (a run that died lets go then).
    public var claimedUntil: Int64?
    public var lastRunAt: Int64?
    public var lastOutcome: PullOutcome?
    public var lastStatus: Int?
    public var lastError: String?
    /// The version the last load made.
    public var lastVersion: Int?
    /// Failures in a row; the schedule backs off while there are any.
    public var failures: Int
    public var createdAt: Int64
    public var updatedAt: Int64
}

/// A pull as its owner sets it.
public struct PullInput: StrictInput {
    public var url: String
    public var format: LoadFormat
    public var intervalMinutes: Int

    public enum Fields: String, CodingKey, CaseIterable { case url, format, intervalMinutes }

    public init(url: String, format: LoadFormat, intervalMinutes: Int) {
        (self.url, self.format, self.intervalMinutes) = (url, format, intervalMinutes)
    }
}
