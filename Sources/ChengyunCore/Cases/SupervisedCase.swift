/// A case as supervision sees it: its running stage against the matter's limit and warning
/// threshold, addressed to the departments handling it.
public struct SupervisedCase: Supervisable {
    public var record: Case
    /// The matter's version the case runs under (nil: gone; the defaults apply).
    public var matter: Matter?
    /// The handling departments' names, for the letter.
    public var departmentNames: [String]

    public init(_ record: Case, matter: Matter?, departmentNames: [String]) {
        self.record = record
        self.matter = matter
        self.departmentNames = departmentNames
    }

    /// Whether the sweep watches it: open, in a stage with a running (not suspended) clock.
    public var isRunning: Bool {
        record.state.isOpen && record.state.stage != nil && record.stageClock.map { !$0.isSuspended } == true
    }

    public var subject: SupervisionSubject { .case(id: record.id, number: record.number) }
    public var warningKind: Warning.Kind { .caseStage }
    public var warningKey: String { "case:\(record.id):\(record.state.stage?.rawValue ?? "")" }
    public var areaPath: String { record.areaPath }
    /// A handling stage's warning belongs to the handling department's list.
    public var warningDepartmentId: String? { record.state.stage == .handle ? record.departmentIds.first : nil }
    public var recipients: [String] { record.departmentIds }

    public func level(at now: Int64, in context: SupervisionContext) -> ClockLevel {
        guard isRunning, let clock = record.stageClock, let stage = record.state.stage else { return .normal }
        return ClockLevel(
            fractionUsed: clock.fractionUsed(at: now, on: context.calendar),
            warningThreshold: matter?.warningThreshold(for: stage) ?? 0.8)
    }

    public func overdueMinutes(at now: Int64) -> Int64 {
        record.stageDeadline.map { max(0, now - $0) / 60_000 } ?? 0
    }

    public func warningText(_ level: ClockLevel, at now: Int64, in context: SupervisionContext) -> (
        title: String, detail: String
    ) {
        let wording = context.wording
        let stage = record.state.stage?.rawValue ?? ""
        let title = wording.caseTitle.render(["caseNumber": record.number, "matter": matterName])
        guard level == .red else {
            let used = record.stageClock.map { $0.fractionUsed(at: now, on: context.calendar) } ?? 0
            return (title, wording.caseNearing.render(["stage": stage, "percent": "\(Int(used * 100))"]))
        }
        let overdue = LetterTemplate.duration(minutes: overdueMinutes(at: now))
        return (title, wording.caseOverdue.render(["stage": stage, "overdue": overdue]))
    }

    public func letter(in context: SupervisionContext) -> (template: LetterTemplate, fields: [String: String]) {
        let stage = record.state.stage.map { context.wording.stageNames[$0] ?? $0.rawValue } ?? ""
        return (
            context.policy.template,
            [
                "caseNumber": record.number, "matter": matterName, "address": record.address ?? "",
                "department": departmentNames.joined(separator: "、"), "stage": stage,
            ]
        )
    }

    private var matterName: String { matter?.name ?? record.matterCode }
}
