/// A supervision order (督办): a leader's (or a rule's) formal order to speed up a case or a patrol
/// task, with a
/// deadline, a letter, recipients, read receipts and a response; past its deadline without a
/// response it is overdue and warns in turn.
public struct SupervisionOrder: Codable, Equatable, Sendable {
    public enum State: String, Codable, CaseIterable, Sendable {
        case issued, read, responded
    }

    public var id: String
    /// DB + date + daily sequence, e.g. DB20261123001.
    public var number: String
    /// The case ordered sped up, or…
    public var caseId: String?
    public var caseNumber: String?
    /// …the patrol task, addressed to its inspector.
    public var taskId: String?
    public var taskNumber: String?
    /// A person the order is addressed to (a patrol task's inspector).
    public var assigneeId: String?
    public var areaPath: String
    /// The departments the order is addressed to (the case's handlers); empty: the case's area.
    public var departmentIds: [String]
    /// A person (leader) or `system` for an automatic order.
    public var issuedBy: String
    public var issuedByName: String
    public var automatic: Bool
    public var issuedAt: Int64
    public var deadline: Int64
    public var letter: String
    public var state: State
    public var readAt: Int64?
    public var readBy: String?
    public var response: String?
    public var respondedAt: Int64?
    public var respondedBy: String?
    /// The emergency incident's task it is about (its number in `taskNumber`).
    public var incidentTaskId: String?

    public init(
        id: String, number: String, caseId: String?, caseNumber: String?, areaPath: String, departmentIds: [String],
        issuedBy: String,
        issuedByName: String, automatic: Bool, issuedAt: Int64, deadline: Int64, letter: String, state: State = .issued
    ) {
        self.id = id
        self.number = number
        self.caseId = caseId
        self.caseNumber = caseNumber
        self.areaPath = areaPath
        self.departmentIds = departmentIds
        self.issuedBy = issuedBy
        self.issuedByName = issuedByName
        self.automatic = automatic
        self.issuedAt = issuedAt
        self.deadline = deadline
        self.letter = letter
        self.state = state
    }

    /// What the order is about, for titles: the case or the task number.
    public var subjectNumber: String { caseNumber ?? taskNumber ?? "" }

    /// Past its deadline without a response.
    public func isOverdue(at now: Int64) -> Bool { state != .responded && now > deadline }

    /// How near its deadline an unanswered order is: yellow from `warningFraction` of its time,
    /// red once past it.
    public func level(at now: Int64, warningFraction: Double) -> ClockLevel {
        guard state != .responded else { return .normal }
        return ClockLevel(
            fractionUsed: Double(now - issuedAt) / Double(max(1, deadline - issuedAt)),
            warningThreshold: warningFraction)
    }
}
