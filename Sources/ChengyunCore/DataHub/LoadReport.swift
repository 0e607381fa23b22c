/// A load's quality report (质量报告): rows in, kept, corrected on the way, refused — each refusal
/// with its line and reason (the first thousand listed, all counted).
public struct LoadReport: Codable, Equatable, Sendable {
    public static let listedRefusals = 1000

    public var rowsIn = 0
    public var kept = 0
    public var corrected = 0
    public var refused = 0
    public var refusals: [CleaningRefusal] = []
    /// Source columns that feed no field.
    public var unmappedColumns: [String] = []

    public init() {}

    public mutating func count(_ outcome: Result<CleanRecord, CleaningRefusal>) {
        rowsIn += 1
        switch outcome {
        case .success(let record):
            kept += 1
            if record.corrected { corrected += 1 }
        case .failure(let refusal):
            refused += 1
            if refusals.count < Self.listedRefusals { refusals.append(refusal) }
        }
    }
}
