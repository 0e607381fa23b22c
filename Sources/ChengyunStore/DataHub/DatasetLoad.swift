import ChengyunCore

/// How a load's records arrive.
public enum LoadFormat: String, Codable, CaseIterable, Sendable {
    /// RFC 4180 with a header row.
    case csv
    /// A JSON array of objects.
    case json
    /// One JSON object per line.
    case ndjson
    /// A GeoJSON FeatureCollection: each feature's properties, its geometry and a point's lon/lat.
    case geojson
}

/// Where a load came from.
public enum LoadSource: String, Codable, CaseIterable, Sendable {
    /// A file a person uploaded (the load wizard).
    case upload
    /// A system pushing records over the API.
    case push
    /// The platform fetching a URL on a schedule.
    case pull
}

/// A load: its version of the dataset's records and its quality report; a dry run's report with
/// a sample of what the cleaning made, and no version (nothing was written).
public struct DatasetLoad: Codable, Equatable, Sendable {
    public var id: String?
    public var datasetCode: String
    public var version: Int?
    public var source: LoadSource
    public var format: LoadFormat
    public var report: LoadReport
    public var sample: [[String: String]]?
    public var loadedBy: String
    public var startedAt: Int64
    public var finishedAt: Int64
}

/// A dataset's cleaning pipeline as its owner keeps it.
public struct PipelineInput: StrictInput {
    public var columns: [String: String]?
    public var steps: [CleaningStep]

    public enum Fields: String, CodingKey, CaseIterable { case columns, steps }

    public init(columns: [String: String]? = nil, steps: [CleaningStep]) {
        self.columns = columns
        self.steps = steps
    }

    public var pipeline: CleaningPipeline { CleaningPipeline(columns: columns ?? [:], steps: steps) }
}
