/// An incident's task under supervision: from the moment it reaches its owners until it is done,
/// yellow once the policy's share of its time (from its making to its deadline) has passed, red
/// past its deadline; warnings and orders go to its departments.
public struct SupervisedIncidentTask: Supervisable {
    public var task: IncidentTask
    public var incidentNumber: String
    public var areaPath: String

    public init(task: IncidentTask, incidentNumber: String, areaPath: String) {
        self.task = task
        self.incidentNumber = incidentNumber
        self.areaPath = areaPath
    }

    /// The incident's number and the step's code, e.g. `YJ20261203001-cordon`.
    public var number: String { incidentNumber + "-" + task.stepCode }
    public var subject: SupervisionSubject {
        .incidentTask(id: task.id, number: number, departmentIds: task.departmentIds)
    }
    public var warningKind: Warning.Kind { .incidentTask }
    public var warningKey: String { "incidentTask:\(task.id)" }
    public var warningDepartmentId: String? { task.departmentIds.first }
    public var recipients: [String] { task.departmentIds }

    public func level(at now: Int64, in context: SupervisionContext) -> ClockLevel {
        guard task.status.isOpen, task.status != .waiting else { return .normal }
        return ClockLevel(
            fractionUsed: Double(now - task.createdAt) / Double(max(1, task.deadline - task.createdAt)),
            warningThreshold: context.policy.deadlineWarningFraction)
    }

    public func overdueMinutes(at now: Int64) -> Int64 { max(0, now - task.deadline) / 60_000 }

    public func warningText(_ level: ClockLevel, at now: Int64, in context: SupervisionContext) -> (
        title: String, detail: String
    ) {
        let wording = context.wording
        let detail =
            level == .red
            ? wording.incidentTaskOverdue.render([
                "owner": task.ownerName, "overdue": LetterTemplate.duration(minutes: overdueMinutes(at: now)),
            ])
            : wording.incidentTaskNearing.render(["owner": task.ownerName, "deadline": context.format(task.deadline)])
        return (wording.incidentTaskTitle.render(["taskNumber": number, "task": task.title]), detail)
    }

    public func letter(in context: SupervisionContext) -> (template: LetterTemplate, fields: [String: String]) {
        (.incidentTaskStandard, ["taskNumber": number, "task": task.title, "department": task.ownerName])
    }
}
