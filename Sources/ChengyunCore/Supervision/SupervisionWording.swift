/// What warnings, reminders and automatic orders say, as templates with `{placeholder}` fields
/// (rendered like letters). Warnings are stored as written, in the centre's language, so they
/// read the same in every list, notification and export; the wording is data handed to the
/// sweep, not text inside its logic.
public struct SupervisionWording: Sendable, Equatable {
    /// A case's running stage: `{caseNumber} {matter}`.
    public var caseTitle: LetterTemplate
    /// Near its limit: `{stage}`, `{percent}`.
    public var caseNearing: LetterTemplate
    /// Past its limit: `{stage}`, `{overdue}`.
    public var caseOverdue: LetterTemplate
    /// A patrol task: `{taskNumber} {task}`.
    public var taskTitle: LetterTemplate
    /// Near its deadline: `{deadline}`, `{checked}`, `{cells}`.
    public var taskNearing: LetterTemplate
    /// Past its deadline: `{overdue}`, `{checked}`, `{cells}`.
    public var taskOverdue: LetterTemplate
    /// An emergency incident's task: `{taskNumber} {task}`; its detail `{owner}` with
    /// `{deadline}` near it or `{overdue}` past it.
    public var incidentTaskTitle: LetterTemplate
    public var incidentTaskNearing: LetterTemplate
    public var incidentTaskOverdue: LetterTemplate
    /// An unanswered order: `{orderNumber}`; its detail `{about}`, `{deadline}`.
    public var orderNearingTitle: LetterTemplate
    public var orderOverdueTitle: LetterTemplate
    public var orderDetail: LetterTemplate
    /// What an order is about, in its warning: `{caseNumber}` or `{taskNumber}` (a patrol task's,
    /// an incident task's).
    public var orderAboutCase: LetterTemplate
    public var orderAboutTask: LetterTemplate
    public var orderAboutIncidentTask: LetterTemplate
    /// A reminder's subject: `{title}` of a yellow or red warning, `{orderNumber}` of an order,
    /// `{title}` of an indicator's warning.
    public var yellowSubject: LetterTemplate
    public var redSubject: LetterTemplate
    public var orderSubject: LetterTemplate
    public var indicatorSubject: LetterTemplate
    /// An indicator's warning detail: `{area}`, `{value}`, `{unit}`.
    public var indicatorDetail: LetterTemplate
    /// Appended to an indicator's warning when no case could be opened: `{reason}`.
    public var noCase: LetterTemplate
    /// Who issues automatic orders.
    public var ruleIssuer: String
    /// Each stage's name in letters.
    public var stageNames: [CaseStage: String]

    /// The centre's default: Chinese, as the seeds word it.
    public static let chinese = SupervisionWording(
        caseTitle: "{caseNumber} {matter}", caseNearing: "{stage} 环节已用时 {percent}%",
        caseOverdue: "{stage} 环节已超时 {overdue}", taskTitle: "巡查任务 {taskNumber} {task}",
        taskNearing: "期限 {deadline}，已巡查 {checked}/{cells} 个网格",
        taskOverdue: "已超过期限 {overdue}，已巡查 {checked}/{cells} 个网格",
        incidentTaskTitle: "应急任务 {taskNumber} {task}", incidentTaskNearing: "{owner}，期限 {deadline}",
        incidentTaskOverdue: "{owner}，已超过期限 {overdue}",
        orderNearingTitle: "督办 {orderNumber} 即将到期", orderOverdueTitle: "督办 {orderNumber} 逾期未回复",
        orderDetail: "{about}，期限 {deadline}", orderAboutCase: "案件 {caseNumber}", orderAboutTask: "巡查任务 {taskNumber}",
        orderAboutIncidentTask: "应急任务 {taskNumber}",
        yellowSubject: "黄色预警 {title}", redSubject: "红色预警 {title}", orderSubject: "督办 {orderNumber}",
        indicatorSubject: "指标预警 {title}", indicatorDetail: "{area}：{value} {unit}",
        noCase: "（未能立案 / no case: {reason}）", ruleIssuer: "预警规则",
        stageNames: [
            .accept: "受理", .verify: "核实", .file: "立案", .dispatch: "派遣", .handle: "处置", .check: "核查",
            .close: "结案",
        ])

    /// A reminder's subject for a warning at its level.
    public func subject(of warning: Warning) -> String {
        (warning.level == .red ? redSubject : yellowSubject).render(["title": warning.title])
    }
}

extension LetterTemplate: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) { self.init(text: text) }
}
