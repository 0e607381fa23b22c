import ChengyunCore

/// The words of the lines the platform writes in an incident's log (事件日志). The log is a
/// record kept in the operation centre's language, read on the command board and in the review,
/// so its lines are Chinese; they are all worded here, in one place to read, change and test,
/// and the services only say which line and with what.
enum IncidentWording {
    /// 接报: the report, where it came from and the facts given.
    static func reported(_ title: String, source: IncidentSource?, facts: [String: Double]) -> String {
        let from = source.map { "（来自\(sourceName[$0.kind] ?? $0.kind.rawValue) \($0.id)）" } ?? ""
        return "接报：\(title)\(from)" + factText(facts)
    }

    /// 启动响应: the plan, its command post and what the activation sent out.
    static func activated(
        _ level: ResponseLevel, plan: EmergencyPlan, tasks: Int, notices: Int, requests: Int, note: String
    ) -> String {
        "启动\(level.numeral)级响应：\(plan.name)（\(plan.code) v\(plan.version)），成立\(plan.command.headquarters)，"
            + "下达任务 \(tasks) 项、通知 \(notices) 条、资源需求 \(requests) 项" + note
    }

    /// The note after an activation: the commander's words, or why a level the facts do not meet
    /// was chosen all the same.
    static func activationNote(_ reason: String, conditionMet: Bool) -> String {
        if conditionMet { return reason.isEmpty ? "" : "；" + reason }
        return "；条件未满足，指挥决定：" + reason
    }

    /// 升级/降级, with what the re-plan added and withdrew.
    static func levelChanged(
        from: ResponseLevel, to: ResponseLevel, reason: String, added: Int, cancelled: Int
    ) -> String {
        "\(to > from ? "升级" : "降级")：\(from.numeral)级 → \(to.numeral)级（\(reason)）；新增任务 \(added) 项，撤销 \(cancelled) 项"
    }

    /// The area entering wartime (转入战时), as logged and as the mode switch's reason.
    static func wartime(area: String, level: ResponseLevel) -> String {
        "\(area)转入战时状态（\(level.numeral)级响应）"
    }

    static func wartimeReason(level: ResponseLevel, title: String) -> String { "\(level.numeral)级响应：\(title)" }

    /// A task owner's report, and the tasks its completion released.
    static func task(_ task: IncidentTask, _ event: IncidentTaskEvent, released: [String]) -> String {
        var text = "任务\(task.stepCode)（\(task.title)）\(task.ownerName)：\(taskSaid[event] ?? event.rawValue)"
        if let reason = task.blockedReason, event == .block { text += "，原因：\(reason)" }
        if !released.isEmpty { text += "；可开始：" + released.joined(separator: "、") }
        return text
    }

    /// 调派: a resource assigned to the incident.
    static func assigned(_ resource: EmergencyResource) -> String { "调派资源：\(resource.code) \(resource.name)" }

    /// A crew's move reported from the field (出发, 到达…), with where it was.
    static func crew(_ resource: EmergencyResource, _ event: ResourceEvent, reported position: GeoPoint?, note: String?)
        -> String
    {
        var text = "\(resource.code) \(resource.name)：\(crewSaid[event] ?? event.rawValue)"
        if let position { text += "（\(position.lon.plainText), \(position.lat.plainText)）" }
        if let note, !note.isEmpty { text += "，" + note }
        return text
    }

    /// 物资出库 / 物资归还: a depot's material issued to the incident or given back.
    static func materials(depot: EmergencyResource, line: StockLine, quantity: Double, givenBack: Bool) -> String {
        "\(givenBack ? "物资归还" : "物资出库")：\(depot.code) \(depot.name) \(line.material) \(quantity.plainText) \(line.unit)"
            + "（库存 \(line.quantity.plainText)）"
    }

    /// 上报/下放指挥.
    static func commandMoved(upward: Bool, to area: String, reason: String) -> String {
        "\(upward ? "上报" : "下放")指挥：由\(area)指挥（\(reason)）"
    }

    /// The command taken by the centre the level names.
    static func commandByLevel(_ level: ResponseLevel, area: String) -> String { "\(level.numeral)级响应由\(area)指挥" }

    /// 结案.
    static func closed(_ summary: String) -> String { "结案：" + summary }

    /// The facts given with a report or a log line, in name order.
    static func factText(_ facts: [String: Double]) -> String {
        facts.isEmpty
            ? ""
            : "；" + facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.plainText)" }.joined(separator: "，")
    }

    static let sourceName: [IncidentSource.Kind: String] = [
        .case: "案件", .alarm: "告警", .warning: "预警", .riskCell: "风险网格",
    ]
    static let taskSaid: [IncidentTaskEvent: String] = [
        .accept: "已接收", .start: "开始处置", .block: "受阻", .resume: "恢复处置", .complete: "已完成",
    ]
    static let crewSaid: [ResourceEvent: String] = [
        .depart: "出发", .arrive: "到达现场", .leave: "撤离现场", .returnToBase: "已归队", .breakDown: "停用",
        .assign: "调派", .release: "取消调派", .restore: "恢复可用",
    ]
}
