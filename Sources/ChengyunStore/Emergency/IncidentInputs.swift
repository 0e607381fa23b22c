import ChengyunCore

/// POST /emergency/plans: a plan file, checked and saved as the next version of its code (a
/// `version` in the file, as exported, is ignored).
extension EmergencyPlan: StrictInput {
    public enum Fields: String, CodingKey, CaseIterable {
        case code, name, incidentType, version, facts, command, levels
    }
}

/// POST /emergency/incidents: an incident reported (接报), by hand or from what it came from.
public struct NewIncident: StrictInput {
    public var title: String
    public var incidentType: String
    public var lon: Double
    public var lat: Double
    public var address: String?
    /// Default: the reporter's own area.
    public var areaId: String?
    public var source: IncidentSource?
    public var facts: [String: Double]?
    public var drill: Bool?
    /// Minutes between situation reports while active; default 30.
    public var reportEveryMinutes: Int?
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case title, incidentType, lon, lat, address, areaId, source, facts, drill, reportEveryMinutes
    }
    public typealias Fields = CodingKeys

    public init(
        title: String, incidentType: String, lon: Double, lat: Double, address: String? = nil, areaId: String? = nil,
        source: IncidentSource? = nil, facts: [String: Double]? = nil, drill: Bool? = nil,
        reportEveryMinutes: Int? = nil
    ) {
        self.title = title
        self.incidentType = incidentType
        self.lon = lon
        self.lat = lat
        self.address = address
        self.areaId = areaId
        self.source = source
        self.facts = facts
        self.drill = drill
        self.reportEveryMinutes = reportEveryMinutes
    }
}

/// POST /emergency/incidents/{id}/activation: a plan (its latest version unless one is named)
/// at a level. A level whose condition the facts do not meet needs the commander's reason.
public struct PlanActivationInput: StrictInput {
    public var plan: String
    public var version: Int?
    public var level: ResponseLevel
    public var reason: String?
    public enum CodingKeys: String, CodingKey, CaseIterable { case plan, version, level, reason }
    public typealias Fields = CodingKeys

    public init(plan: String, version: Int? = nil, level: ResponseLevel, reason: String? = nil) {
        self.plan = plan
        self.version = version
        self.level = level
        self.reason = reason
    }
}

/// POST /emergency/incidents/{id}/level: 升级 or 降级, with the reason.
public struct LevelChangeInput: StrictInput {
    public var level: ResponseLevel
    public var reason: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case level, reason }
    public typealias Fields = CodingKeys

    public init(level: ResponseLevel, reason: String) {
        self.level = level
        self.reason = reason
    }
}

/// POST /emergency/incidents/{id}/log: a report, situation report (续报), decision or order, with
/// facts learnt (which replace the same-named ones).
public struct IncidentLogInput: StrictInput {
    public var kind: IncidentLogEntry.Kind
    public var text: String
    public var facts: [String: Double]?
    /// Files the caller uploaded (POST /attachments), up to five: photos of the scene.
    public var attachments: [String]?
    public enum CodingKeys: String, CodingKey, CaseIterable { case kind, text, facts, attachments }
    public typealias Fields = CodingKeys

    public init(
        kind: IncidentLogEntry.Kind, text: String, facts: [String: Double]? = nil, attachments: [String]? = nil
    ) {
        self.kind = kind
        self.text = text
        self.facts = facts
        self.attachments = attachments
    }
}

/// POST /emergency/incidents/{id}/tasks/{taskId}/events: what the task's owners report.
public struct IncidentTaskEventInput: StrictInput {
    public var event: IncidentTaskEvent
    public var reason: String?
    /// Files the caller uploaded (POST /attachments), up to five: photos of the work.
    public var attachments: [String]?
    public enum CodingKeys: String, CodingKey, CaseIterable { case event, reason, attachments }
    public typealias Fields = CodingKeys

    public init(event: IncidentTaskEvent, reason: String? = nil, attachments: [String]? = nil) {
        self.event = event
        self.reason = reason
        self.attachments = attachments
    }
}

/// POST /emergency/incidents/{id}/resources: a resource assigned to the incident, against one of
/// its requests when named.
public struct IncidentResourceInput: StrictInput {
    public var resourceId: String
    public var requestId: String?
    public enum CodingKeys: String, CodingKey, CaseIterable { case resourceId, requestId }
    public typealias Fields = CodingKeys

    public init(resourceId: String, requestId: String? = nil) {
        self.resourceId = resourceId
        self.requestId = requestId
    }
}

/// POST /emergency/incidents/{id}/close: 结案 with the summary.
public struct IncidentCloseInput: StrictInput {
    public var summary: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case summary }
    public typealias Fields = CodingKeys

    public init(summary: String) { self.summary = summary }
}

/// An incident with everything the command board shows.
public struct IncidentBoard: Codable, Equatable, Sendable {
    public var incident: Incident
    /// The gravest level of its plan (or, before activation, of the latest plan for its type)
    /// whose condition the facts meet.
    public var suggestedLevel: ResponseLevel?
    public var nextReportDue: Int64?
    public var tasks: [IncidentTask]
    public var notices: [IncidentNotice]
    public var requests: [ResourceRequest]
    public var resources: [EmergencyResource]
    public var log: [IncidentLogEntry]
    /// Photos and files on the log, each with the entry it came with.
    public var attachments: [IncidentAttachment]
    /// The materials issued to it from depots, and given back.
    public var materials: [MaterialLine]
}

/// A plan version as lists show it.
public struct PlanSummary: Codable, Equatable, Sendable {
    public var code: String
    public var version: Int
    public var incidentType: String
    public var name: String
    public var createdBy: String
    public var createdAt: Int64
}
