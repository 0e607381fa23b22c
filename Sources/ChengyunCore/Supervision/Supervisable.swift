/// Something the supervision sweep watches and leaders may order sped up: a case's running stage,
/// a patrol task, an emergency incident's task. Each kind says how near its limit it is, what
/// its warning and letter say and whom they reach; one sweep (`Supervision`) judges them all.
public protocol Supervisable: Sendable {
    /// What a warning or order on it is about (its audit target too).
    var subject: SupervisionSubject { get }
    var warningKind: Warning.Kind { get }
    /// One open warning per key, e.g. `case:<id>:handle`.
    var warningKey: String { get }
    var areaPath: String { get }
    /// The department a warning is addressed to, which limits who lists it (a handler's own).
    var warningDepartmentId: String? { get }
    /// Departments or people its warnings and orders reach.
    var recipients: [String] { get }
    /// How near its limit it is at `now`.
    func level(at now: Int64, in context: SupervisionContext) -> ClockLevel
    /// Wall minutes past its limit at `now` (0 before it).
    func overdueMinutes(at now: Int64) -> Int64
    /// The warning's title and detail at a level.
    func warningText(_ level: ClockLevel, at now: Int64, in context: SupervisionContext) -> (
        title: String, detail: String
    )
    /// The letter's template (from the policy) and the fields it fills, beside those every
    /// letter has (`overdue`, `deadline`, `issuer`, `note`).
    func letter(in context: SupervisionContext) -> (template: LetterTemplate, fields: [String: String])
}

/// What an order or warning is about.
public enum SupervisionSubject: Equatable, Sendable {
    case `case`(id: String, number: String)
    /// A patrol task, addressed to its inspector.
    case patrolTask(id: String, number: String, inspectorId: String)
    /// An emergency incident's task, addressed to its departments.
    case incidentTask(id: String, number: String, departmentIds: [String])

    /// The warning's and the audit line's target type and id.
    public var targetType: String {
        switch self {
        case .case: "case"
        case .patrolTask: "patrolTask"
        case .incidentTask: "incidentTask"
        }
    }

    public var id: String {
        switch self {
        case .case(let id, _), .patrolTask(let id, _, _), .incidentTask(let id, _, _): id
        }
    }
}

/// What judging a subject needs besides the subject: the calendar its clock runs on, the
/// administrator's policy and the wording.
public struct SupervisionContext: Sendable {
    public var calendar: WorkCalendar
    public var policy: SupervisionPolicy
    public var wording: SupervisionWording

    public init(calendar: WorkCalendar, policy: SupervisionPolicy, wording: SupervisionWording = .chinese) {
        self.calendar = calendar
        self.policy = policy
        self.wording = wording
    }

    /// An instant as letters and warnings write it, in the calendar's local time.
    public func format(_ instant: Int64) -> String {
        Instant.format(instant, utcOffsetMinutes: calendar.utcOffsetMinutes)
    }
}

/// The sweep's and the leader's decisions, pure: what a subject's warning is now, whether it
/// earns an automatic order, and the order itself.
public enum Supervision {
    /// The warning a subject deserves at `now`, or nil while it is within its limits.
    public static func warning(
        for subject: any Supervisable, at now: Int64, in context: SupervisionContext, id: String
    ) -> Warning? {
        let level = subject.level(at: now, in: context)
        guard level != .normal else { return nil }
        let text = subject.warningText(level, at: now, in: context)
        return Warning(
            id: id, key: subject.warningKey, kind: subject.warningKind, level: level == .red ? .red : .yellow,
            targetType: subject.subject.targetType, targetId: subject.subject.id, areaPath: subject.areaPath,
            departmentId: subject.warningDepartmentId, title: text.title, detail: text.detail, raisedAt: now,
            updatedAt: now)
    }

    /// Overdue past the policy's allowance: supervision starts by itself (unless an order on the
    /// subject is still unanswered, which the sweep checks in the database).
    public static func isPastAllowance(_ subject: any Supervisable, at now: Int64, in context: SupervisionContext)
        -> Bool
    {
        subject.level(at: now, in: context) == .red
            && subject.overdueMinutes(at: now) > Int64(context.policy.autoSuperviseAfterMinutes)
    }

    /// Who issues an order: a leader by name, or the warning rules.
    public struct Issuer: Equatable, Sendable {
        public var id: String
        public var name: String
        public var automatic: Bool
        public init(id: String, name: String, automatic: Bool) {
            self.id = id
            self.name = name
            self.automatic = automatic
        }
        public static func rules(_ wording: SupervisionWording) -> Issuer {
            Issuer(id: "system", name: wording.ruleIssuer, automatic: true)
        }
    }

    /// An order on a subject: due the policy's hours from `now`, its letter rendered, addressed to
    /// the subject's recipients.
    public static func order(
        on subject: any Supervisable, note: String?, issuer: Issuer, at now: Int64, in context: SupervisionContext,
        id: String, number: String
    ) -> SupervisionOrder {
        let deadline = now + Int64(context.policy.orderDeadlineHours) * 3_600_000
        var (template, fields) = subject.letter(in: context)
        fields["overdue"] = LetterTemplate.duration(minutes: subject.overdueMinutes(at: now))
        fields["deadline"] = context.format(deadline)
        fields["issuer"] = issuer.name
        fields["note"] = note ?? ""
        var order = SupervisionOrder(
            id: id, number: number, caseId: nil, caseNumber: nil, areaPath: subject.areaPath, departmentIds: [],
            issuedBy: issuer.id, issuedByName: issuer.name, automatic: issuer.automatic, issuedAt: now,
            deadline: deadline, letter: template.render(fields))
        switch subject.subject {
        case .case(let caseId, let caseNumber):
            order.caseId = caseId
            order.caseNumber = caseNumber
            order.departmentIds = subject.recipients
        case .patrolTask(let taskId, let taskNumber, let inspectorId):
            order.taskId = taskId
            order.taskNumber = taskNumber
            order.assigneeId = inspectorId
        case .incidentTask(let taskId, let taskNumber, let departmentIds):
            order.incidentTaskId = taskId
            order.taskNumber = taskNumber
            order.departmentIds = departmentIds
        }
        return order
    }

    /// The warning an unanswered order raises near or past its deadline, or nil.
    public static func warning(
        for order: SupervisionOrder, at now: Int64, in context: SupervisionContext, id: String
    ) -> Warning? {
        let level = order.level(at: now, warningFraction: context.policy.deadlineWarningFraction)
        guard level != .normal else { return nil }
        let wording = context.wording
        let about =
            order.caseNumber.map { wording.orderAboutCase.render(["caseNumber": $0]) }
            ?? (order.incidentTaskId == nil ? wording.orderAboutTask : wording.orderAboutIncidentTask).render([
                "taskNumber": order.taskNumber ?? ""
            ])
        let title = (level == .red ? wording.orderOverdueTitle : wording.orderNearingTitle)
        return Warning(
            id: id, key: "order:\(order.id)", kind: .supervisionOverdue, level: level == .red ? .red : .yellow,
            targetType: "supervisionOrder", targetId: order.id, areaPath: order.areaPath,
            departmentId: order.departmentIds.first, title: title.render(["orderNumber": order.number]),
            detail: wording.orderDetail.render(["about": about, "deadline": context.format(order.deadline)]),
            raisedAt: now, updatedAt: now)
    }
}
