import ChengyunCore

/// A new report from any channel.
public struct NewReport: StrictInput {
    /// The matter, by id or by its code (E0102).
    public var matterId: String?
    public var matterCode: String?
    public var description: String
    public var lon: Double
    public var lat: Double
    public var address: String?
    public var urgency: Urgency?
    public var customFields: [String: String]?
    /// For intake operators: `intake` (default) or `hotline`.
    public var source: CaseSource?
    public var reporterName: String?
    public var reporterContact: String?
    /// Ids of files uploaded first (POST /api/v1/attachments): the "before" photos.
    public var attachments: [String]?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case matterId, matterCode, description, lon, lat, address, urgency, customFields, source, reporterName,
            reporterContact
        case attachments
    }
    public typealias Fields = CodingKeys

    public init(
        matterId: String? = nil, matterCode: String? = nil, description: String, lon: Double, lat: Double,
        address: String? = nil, urgency: Urgency? = nil, customFields: [String: String]? = nil,
        source: CaseSource? = nil, reporterName: String? = nil, reporterContact: String? = nil
    ) {
        (self.matterId, self.matterCode, self.description, self.lon, self.lat) = (
            matterId, matterCode, description, lon, lat
        )
        (self.address, self.urgency, self.customFields, self.source) = (address, urgency, customFields, source)
        (self.reporterName, self.reporterContact) = (reporterName, reporterContact)
    }
}

/// One step of the loop, with what that step needs.
public struct CaseActionInput: StrictInput {
    public var action: CaseAction
    public var note: String?
    /// verify: whether the problem was found as reported.
    public var verified: Bool?
    /// dispatch: the departments to send the case to.
    public var departmentIds: [String]?
    /// requestExtension: how many working minutes more.
    public var minutes: Int?
    /// file: reclassify under another matter, or change the urgency.
    public var matterId: String?
    public var urgency: Urgency?
    /// merge: the open case this one duplicates.
    public var duplicateOf: String?
    /// Evidence uploaded first: the "after" photos of a completed case, a check's photos.
    public var attachments: [String]?
    /// assign (or accept): the inspector who is to verify or check.
    public var inspectorId: String?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case action, note, verified, departmentIds, minutes, matterId, urgency, duplicateOf, attachments, inspectorId
    }
    public typealias Fields = CodingKeys

    public init(
        _ action: CaseAction, note: String? = nil, verified: Bool? = nil, departmentIds: [String]? = nil,
        minutes: Int? = nil, matterId: String? = nil, urgency: Urgency? = nil, duplicateOf: String? = nil,
        inspectorId: String? = nil
    ) {
        (self.action, self.note, self.verified, self.departmentIds) = (action, note, verified, departmentIds)
        (self.minutes, self.matterId, self.urgency, self.duplicateOf) = (minutes, matterId, urgency, duplicateOf)
        self.inspectorId = inspectorId
    }
}

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
