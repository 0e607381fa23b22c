/// An emergency incident (突发事件): reported (接报), active once a plan is activated at a level,
/// closed with a summary. It keeps what it came from (a case, an alarm, a warning, a risk cell),
/// the facts reported on it (numbers the plan's conditions read), and whether it is a drill (演练),
/// which the statistics leave out.
public struct Incident: Codable, Equatable, Sendable {
    public var id: String
    /// YJ + local date + sequence, e.g. YJ20261203001.
    public var number: String
    public var title: String
    public var incidentType: String
    public var status: IncidentStatus
    public var level: ResponseLevel?
    public var planCode: String?
    public var planVersion: Int?
    /// The command post's name once a plan is activated.
    public var headquarters: String?
    /// The centre leading the response (指挥层级): set by the level, moved by escalation or handover.
    public var commandAreaId: String?
    public var commandAreaName: String?
    public var scene: GeoPoint
    public var address: String?
    public var areaId: String
    public var areaPath: String
    public var source: IncidentSource?
    public var facts: [String: Double]
    public var drill: Bool
    /// Minutes between situation reports (续报) while active.
    public var reportEveryMinutes: Int
    public var lastReportAt: Int64?
    public var reportedBy: String
    public var reportedAt: Int64
    public var activatedAt: Int64?
    public var closedAt: Int64?
    public var summary: String?
    public var updatedAt: Int64

    public init(
        id: String, number: String, title: String, incidentType: String, status: IncidentStatus = .reported,
        level: ResponseLevel? = nil, planCode: String? = nil, planVersion: Int? = nil, headquarters: String? = nil,
        scene: GeoPoint, address: String?, areaId: String, areaPath: String, source: IncidentSource?,
        facts: [String: Double], drill: Bool, reportEveryMinutes: Int, lastReportAt: Int64? = nil, reportedBy: String,
        reportedAt: Int64, activatedAt: Int64? = nil, closedAt: Int64? = nil, summary: String? = nil, updatedAt: Int64
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.incidentType = incidentType
        self.status = status
        self.level = level
        self.planCode = planCode
        self.planVersion = planVersion
        self.headquarters = headquarters
        self.scene = scene
        self.address = address
        self.areaId = areaId
        self.areaPath = areaPath
        self.source = source
        self.facts = facts
        self.drill = drill
        self.reportEveryMinutes = reportEveryMinutes
        self.lastReportAt = lastReportAt
        self.reportedBy = reportedBy
        self.reportedAt = reportedAt
        self.activatedAt = activatedAt
        self.closedAt = closedAt
        self.summary = summary
        self.updatedAt = updatedAt
    }

    /// When the next situation report is due while the incident is active: its interval after the
    /// last one, or after activation.
    public var nextReportDue: Int64? {
        guard status == .active, let since = lastReportAt ?? activatedAt else { return nil }
        return since + Int64(reportEveryMinutes) * 60_000
    }
}

public enum IncidentStatus: String, Codable, CaseIterable, Sendable {
    case reported
    case active
    case closed
}

/// What an incident was opened from, kept as a link.
public struct IncidentSource: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case `case`
        case alarm
        case warning
        case riskCell
    }
    public var kind: Kind
    public var id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }
}

/// One line of an incident's log (事件日志), append-only: every report, decision, order, task
/// report, resource move and level change, with who and when.
public struct IncidentLogEntry: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// 接报 and facts reported.
        case report
        /// 续报: a situation report.
        case situation
        /// A command decision (决策).
        case decision
        /// An order given (指令).
        case order
        /// A plan activated, the level changed.
        case level
        /// A task's owners reported on it.
        case task
        /// A resource assigned or released.
        case resource
        case close
    }
    public var id: String
    public var incidentId: String
    /// Its place in the incident's log, from 1 (given by the store as it appends).
    public var seq: Int
    public var kind: Kind
    public var text: String
    public var actorId: String
    public var actorName: String
    public var at: Int64

    public init(
        id: String, incidentId: String, seq: Int = 0, kind: Kind, text: String, actorId: String, actorName: String,
        at: Int64
    ) {
        self.id = id
        self.incidentId = incidentId
        self.seq = seq
        self.kind = kind
        self.text = text
        self.actorId = actorId
        self.actorName = actorName
        self.at = at
    }

    /// The kinds a person may write by hand; the rest the platform writes as things happen.
    public static let written: Set<Kind> = [.report, .situation, .decision, .order]
}
