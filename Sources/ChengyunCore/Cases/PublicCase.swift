/// What the public, citizens and machine keys are told of a case they reported: the report as
/// they made it and where it stands. Never who else reported it, who handles it, or staff notes —
/// a view type of its own, so a field added to `Case` does not reach the public by accident.
public struct PublicCase: Codable, Equatable, Sendable {
    public var id: String
    public var number: String
    public var kind: CaseKind
    public var matterCode: String
    public var state: CaseState
    public var source: CaseSource
    public var description: String
    public var address: String?
    public var lon: Double
    public var lat: Double
    public var reportedAt: Int64
    public var closedAt: Int64?

    public init(_ record: Case) {
        id = record.id
        number = record.number
        kind = record.kind
        matterCode = record.matterCode
        state = record.state
        source = record.source
        description = record.description
        address = record.address
        lon = record.lon
        lat = record.lat
        reportedAt = record.reportedAt
        closedAt = record.closedAt
    }
}

/// Another person's case as the public may see it: its number and state, nothing more.
public struct CaseReference: Codable, Equatable, Sendable {
    public var number: String
    public var state: CaseState

    public init(_ record: Case) {
        number = record.number
        state = record.state
    }
}

/// What a report from the public, a citizen or a machine key became: their own case, and only
/// the numbers and states of the open cases it was merged into or may duplicate.
public struct PublicReportReceipt: Codable, Equatable, Sendable {
    public var `case`: PublicCase
    public var mergedInto: CaseReference?
    public var possibleDuplicates: [CaseReference]

    public init(case record: Case, mergedInto: Case?, possibleDuplicates: [Case]) {
        self.case = PublicCase(record)
        self.mergedInto = mergedInto.map(CaseReference.init)
        self.possibleDuplicates = possibleDuplicates.map(CaseReference.init)
    }
}
