/// A case (案件) as stored: the current state, kept in step with its history in one transaction.
public struct Case: Codable, Equatable, Sendable {
    public var id: String
    public var number: String
    public var kind: CaseKind
    public var matterId: String
    public var matterVersion: Int
    public var majorCode: String
    public var minorCode: String
    public var urgency: Urgency
    public var state: CaseState
    public var source: CaseSource
    public var description: String
    public var address: String?
    public var lon: Double
    public var lat: Double
    public var gridCellId: String?
    public var areaId: String
    public var areaPath: String
    public var reporterKind: String
    public var reporterId: String?
    public var reporterName: String?
    public var reporterContact: String?
    public var departmentIds: [String]
    public var pendingRequest: CaseRequestKind?
    /// How many extra minutes the open request asks for (extension requests).
    public var requestedMinutes: Int?
    public var duplicateOf: String?
    public var duplicateCount: Int
    public var reopenCount: Int
    public var reworkCount: Int
    public var extensionCount: Int
    public var customFields: [String: String]
    public var stageClock: StageClock?
    /// When the running stage's limit runs out (denormalised from the clock for queues).
    public var stageDeadline: Int64?
    public var caseDeadline: Int64?
    public var reportedAt: Int64

    public var filedAt: Int64?
    public var closedAt: Int64?
    public var updatedAt: Int64
    /// Bumped by every change; a write that read an older revision fails instead of overwriting.
    public var revision: Int
    /// The inspector a verification or check task was sent to (派遣核实/核查); nil while any
    /// inspector of the area may take it, and once the case moves on.
    public var assigneeId: String? = nil

    public var position: GeoPoint { GeoPoint(lon: lon, lat: lat) }
    public var matterCode: String { MatterCode(kind: kind, majorCode: majorCode, minorCode: minorCode).description }

    public init(
        id: String, number: String, kind: CaseKind, matterId: String, matterVersion: Int, majorCode: String,
        minorCode: String, urgency: Urgency, state: CaseState, source: CaseSource, description: String,
        address: String? = nil, lon: Double, lat: Double, gridCellId: String? = nil, areaId: String,
        areaPath: String, reporterKind: String, reporterId: String? = nil, reporterName: String? = nil,
        reporterContact: String? = nil, departmentIds: [String], pendingRequest: CaseRequestKind? = nil,
        requestedMinutes: Int? = nil, duplicateOf: String? = nil, duplicateCount: Int, reopenCount: Int,
        reworkCount: Int, extensionCount: Int, customFields: [String: String], stageClock: StageClock? = nil,
        stageDeadline: Int64? = nil, caseDeadline: Int64? = nil, reportedAt: Int64, filedAt: Int64? = nil,
        closedAt: Int64? = nil, updatedAt: Int64, revision: Int
    ) {
        self.id = id
        self.number = number
        self.kind = kind
        self.matterId = matterId
        self.matterVersion = matterVersion
        self.majorCode = majorCode
        self.minorCode = minorCode
        self.urgency = urgency
        self.state = state
        self.source = source
        self.description = description
        self.address = address
        self.lon = lon
        self.lat = lat
        self.gridCellId = gridCellId
        self.areaId = areaId
        self.areaPath = areaPath
        self.reporterKind = reporterKind
        self.reporterId = reporterId
        self.reporterName = reporterName
        self.reporterContact = reporterContact
        self.departmentIds = departmentIds
        self.pendingRequest = pendingRequest
        self.requestedMinutes = requestedMinutes
        self.duplicateOf = duplicateOf
        self.duplicateCount = duplicateCount
        self.reopenCount = reopenCount
        self.reworkCount = reworkCount
        self.extensionCount = extensionCount
        self.customFields = customFields
        self.stageClock = stageClock
        self.stageDeadline = stageDeadline
        self.caseDeadline = caseDeadline
        self.reportedAt = reportedAt
        self.filedAt = filedAt
        self.closedAt = closedAt
        self.updatedAt = updatedAt
        self.revision = revision
    }
}

/// One line of a case's history.
public struct CaseEvent: Codable, Equatable, Sendable {
    public var caseId: String
    public var seq: Int
    public var at: Int64
    public var actorKind: String
    public var actorId: String
    public var actorName: String
    public var action: String
    public var fromState: CaseState?
    public var toState: CaseState
    public var note: String?
    public var attachments: [String]
    /// Action-specific facts (departments, minutes, verification result), as JSON text.
    public var detail: String?

    public init(
        caseId: String, seq: Int, at: Int64, actor: Principal, action: String, fromState: CaseState?,
        toState: CaseState, note: String?, attachments: [String] = [], detail: String? = nil
    ) {
        self.caseId = caseId
        self.seq = seq
        self.at = at
        self.actorKind = actor.kind.rawValue
        self.actorId = actor.id
        self.actorName = actor.name
        self.action = action
        self.fromState = fromState
        self.toState = toState
        self.note = note
        self.attachments = attachments
        self.detail = detail
    }
}

/// One finished (or running) stage of a case, with whether it finished in time: what the
/// evaluation formulas count (docs/domain.md §6).
public struct CaseStageRecord: Codable, Equatable, Sendable {
    public var caseId: String
    public var seq: Int
    public var stage: CaseStage
    public var startedAt: Int64
    public var deadline: Int64?
    public var limitMillis: Int64
    public var usedMillis: Int64
    public var finishedAt: Int64?
    public var onTime: Bool?
    /// The action that ended the stage (complete, fail, approveReturn…).
    public var endedBy: String?
    /// Who ended the stage, and for handling and checking, the department whose work it was.
    public var actorId: String?
    public var departmentId: String?

    public init(
        caseId: String, seq: Int, stage: CaseStage, startedAt: Int64, deadline: Int64? = nil,
        limitMillis: Int64, usedMillis: Int64, finishedAt: Int64? = nil, onTime: Bool? = nil,
        endedBy: String? = nil, actorId: String? = nil, departmentId: String? = nil
    ) {
        self.caseId = caseId
        self.seq = seq
        self.stage = stage
        self.startedAt = startedAt
        self.deadline = deadline
        self.limitMillis = limitMillis
        self.usedMillis = usedMillis
        self.finishedAt = finishedAt
        self.onTime = onTime
        self.endedBy = endedBy
        self.actorId = actorId
        self.departmentId = departmentId
    }
}

/// Everyone who reported the problem: the first reporter and those merged as duplicates.
public struct CaseReporter: Codable, Equatable, Sendable {
    public var caseId: String
    public var reportCaseId: String
    public var kind: String
    public var reporterId: String?
    public var name: String?
    public var contact: String?
    public var source: CaseSource
    public var reportedAt: Int64

    public init(
        caseId: String, reportCaseId: String, kind: String, reporterId: String? = nil, name: String? = nil,
        contact: String? = nil, source: CaseSource, reportedAt: Int64
    ) {
        self.caseId = caseId
        self.reportCaseId = reportCaseId
        self.kind = kind
        self.reporterId = reporterId
        self.name = name
        self.contact = contact
        self.source = source
        self.reportedAt = reportedAt
    }

    /// The person who reported `record`, filed under the case it belongs to: itself, or the open
    /// case it duplicates (so everyone who reported the same thing hears of the outcome).
    public init(of record: Case) {
        self.init(
            caseId: record.duplicateOf ?? record.id, reportCaseId: record.id, kind: record.reporterKind,
            reporterId: record.reporterId, name: record.reporterName, contact: record.reporterContact,
            source: record.source, reportedAt: record.reportedAt)
    }
}
