import ChengyunCore

/// POST /supervision-orders: a leader's order on a case or a patrol task (one of the two).
public struct NewSupervisionOrder: StrictInput {
    /// The case, by id or number.
    public var caseId: String?
    /// The patrol task, by id or number.
    public var taskId: String?
    public var note: String?
    public enum CodingKeys: String, CodingKey, CaseIterable { case caseId, taskId, note }
    public typealias Fields = CodingKeys

    public init(caseId: String? = nil, taskId: String? = nil, note: String? = nil) {
        self.caseId = caseId
        self.taskId = taskId
        self.note = note
    }
}

/// POST /supervision-orders/{id}/response.
public struct SupervisionResponse: StrictInput {
    public var response: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case response }
    public typealias Fields = CodingKeys
}

extension SupervisionPolicy: StrictInput {
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case autoSuperviseAfterMinutes, orderDeadlineHours, template, deadlineWarningFraction, taskTemplate
    }
    public typealias Fields = CodingKeys
}
