import ChengyunCore

extension NewReport: StrictInput { public typealias Fields = CodingKeys }
extension CaseActionInput: StrictInput { public typealias Fields = CodingKeys }

/// What a report became.
public struct ReportOutcome: Encodable, Sendable {
    /// The case created for this report (in state `merged` when it was merged).
    public var `case`: Case
    /// The open case it was merged into, if it was.
    public var mergedInto: Case?
    /// Open cases it may duplicate, when duplicates are offered rather than merged, best first.
    public var possibleDuplicates: [Case]
    /// Why each of `possibleDuplicates` may be the same problem, in the same order.
    public var duplicateMatches: [DuplicateMatch]
    /// Signs that the report may be invalid, for the intake operator (never for the reporter).
    public var intakeFlags: [IntakeFlag]

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
    /// Signs, found at intake, that the report may be invalid (无效事件).
    public var intakeFlags: [IntakeFlag]
    /// While the report can still be merged: open cases in the caller's scope it may repeat.
    public var possibleDuplicates: [PossibleDuplicate]
}

/// An open case a report may repeat, as the intake operator sees it beside the report.
public struct PossibleDuplicate: Encodable, Sendable {
    public var caseId: String
    public var number: String
    public var matterCode: String
    public var state: CaseState
    public var description: String
    public var match: DuplicateMatch
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
    /// The invalid-report flags of a report still at intake (上报, 待核实, 待立案).
    public var intakeFlags: [IntakeFlag] = []
}
