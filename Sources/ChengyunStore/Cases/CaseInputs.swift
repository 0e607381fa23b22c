import ChengyunCore

extension NewReport: StrictInput { public typealias Fields = CodingKeys }
extension CaseActionInput: StrictInput { public typealias Fields = CodingKeys }

/// What a report became.
public struct ReportOutcome: Encodable, Sendable {
    /// The case created for this report (in state `merged` when it was merged).
    public var `case`: Case
    /// The open case it was merged into, if it was.
    public var mergedInto: Case?
    /// Open cases it may duplicate, when duplicates are offered rather than merged.
    public var possibleDuplicates: [Case]

    /// The same outcome as the reporter may see it when they are not staff.
    public var receipt: PublicReportReceipt {
        PublicReportReceipt(case: self.case, mergedInto: mergedInto, possibleDuplicates: possibleDuplicates)
    }
}

/// A case with everything known about it, for the detail page.
public struct CaseDetail: Encodable, Sendable {
    public var `case`: Case
    public var matter: Matter?
    public var events: [CaseEvent]
    public var stages: [CaseStageRecord]
    public var reporters: [CaseReporter]
    /// Photos and files by phase: "before" (the report) beside "after" (the finished work).
    public var attachments: [CaseAttachment]
    public var clock: ClockStatus?
    /// The actions the caller may take now.
    public var allowedActions: [CaseAction]
}

/// How the running stage stands.
public struct ClockStatus: Encodable, Sendable {
    public var stage: CaseStage
    public var level: ClockLevel
    public var usedMillis: Int64
    public var limitMillis: Int64
    public var deadline: Int64?
    public var suspended: Bool
}

/// One line of a work queue.
public struct QueueItem: Encodable, Sendable {
    public var `case`: Case
    public var clock: ClockStatus?
}
