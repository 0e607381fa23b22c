import Foundation

/// Where a task of an incident stands (任务). A task waits until the steps it depends on are
/// done, is then assigned to its owners, who accept it, start it and finish it, or report it
/// blocked with a reason and resume it. A re-plan on a level change cancels what no longer
/// applies and has not been taken up.
public enum IncidentTaskStatus: String, Codable, CaseIterable, Sendable {
    case waiting
    case assigned
    case accepted
    case inProgress
    case blocked
    case done
    case cancelled

    /// Still owed by its owners.
    public var isOpen: Bool { ![.done, .cancelled].contains(self) }

    /// Not yet taken up by its owners: a re-plan may withdraw it.
    public var isUntouched: Bool { self == .waiting || self == .assigned }
}

/// What an owner reports on a task.
public enum IncidentTaskEvent: String, Codable, CaseIterable, Sendable {
    /// 接收.
    case accept
    /// 开始处置.
    case start
    /// 受阻, with a reason.
    case block
    /// 恢复处置.
    case resume
    /// 完成.
    case complete
}

extension IncidentTaskStatus {
    /// The status after `event`, or `invalid_transition`.
    public func after(_ event: IncidentTaskEvent) throws(DomainError) -> IncidentTaskStatus {
        guard let next = Self.transitions[self]?[event] else {
            throw DomainError(
                .conflict, code: "invalid_transition",
                "A task that is \(rawValue) cannot take the event \(event.rawValue).")
        }
        return next
    }

    public var openEvents: [IncidentTaskEvent] {
        IncidentTaskEvent.allCases.filter { Self.transitions[self]?[$0] != nil }
    }

    private static let transitions: [IncidentTaskStatus: [IncidentTaskEvent: IncidentTaskStatus]] = [
        .assigned: [.accept: .accepted],
        .accepted: [.start: .inProgress, .block: .blocked, .complete: .done],
        .inProgress: [.block: .blocked, .complete: .done],
        .blocked: [.resume: .inProgress],
    ]
}

/// A task of an incident, made from a plan step when the plan is activated.
public struct IncidentTask: Codable, Equatable, Sendable {
    public var id: String
    public var incidentId: String
    public var stepCode: String
    public var title: String
    /// The level whose steps made or last re-planned it.
    public var level: ResponseLevel
    /// The working group's code when a group owns it.
    public var ownerGroup: String?
    /// The group's name or the department's, for notices and the board.
    public var ownerName: String
    public var departmentIds: [String]
    public var dependsOn: [String]
    public var status: IncidentTaskStatus
    public var deadline: Int64
    public var createdAt: Int64
    public var assignedAt: Int64?
    public var acceptedAt: Int64?
    public var doneAt: Int64?
    public var blockedReason: String?
    public var updatedAt: Int64

    public init(
        id: String, incidentId: String, stepCode: String, title: String, level: ResponseLevel, ownerGroup: String?,
        ownerName: String, departmentIds: [String], dependsOn: [String], status: IncidentTaskStatus, deadline: Int64,
        createdAt: Int64, assignedAt: Int64? = nil, acceptedAt: Int64? = nil, doneAt: Int64? = nil,
        blockedReason: String? = nil, updatedAt: Int64
    ) {
        self.id = id
        self.incidentId = incidentId
        self.stepCode = stepCode
        self.title = title
        self.level = level
        self.ownerGroup = ownerGroup
        self.ownerName = ownerName
        self.departmentIds = departmentIds
        self.dependsOn = dependsOn
        self.status = status
        self.deadline = deadline
        self.createdAt = createdAt
        self.assignedAt = assignedAt
        self.acceptedAt = acceptedAt
        self.doneAt = doneAt
        self.blockedReason = blockedReason
        self.updatedAt = updatedAt
    }

    /// Applies an owner's report at `now`: the reason is required when blocking.
    public mutating func apply(_ event: IncidentTaskEvent, reason: String?, at now: Int64) throws(DomainError) {
        let next = try status.after(event)
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if event == .block && reason.isEmpty {
            throw DomainError.validation([FieldIssue(field: "reason", code: "required", message: "Say what blocks it.")]
            )
        }
        status = next
        switch event {
        case .accept: acceptedAt = now
        case .block: blockedReason = reason
        case .resume: blockedReason = nil
        case .complete: doneAt = now
        case .start: break
        }
        updatedAt = now
    }
}
