/// A patrol task under supervision: yellow once the policy's share of its time has passed, red
/// past its deadline; its warnings and orders go to its inspector.
extension PatrolTask: Supervisable {
    public var subject: SupervisionSubject { .patrolTask(id: id, number: number, inspectorId: inspectorId) }
    public var warningKind: Warning.Kind { .patrolTask }
    public var warningKey: String { "patrol:\(id)" }
    public var warningDepartmentId: String? { nil }
    public var recipients: [String] { [inspectorId] }

    public func level(at now: Int64, in context: SupervisionContext) -> ClockLevel {
        level(at: now, warningFraction: context.policy.deadlineWarningFraction)
    }

    public func overdueMinutes(at now: Int64) -> Int64 { max(0, now - deadline) / 60_000 }

    public func warningText(_ level: ClockLevel, at now: Int64, in context: SupervisionContext) -> (
        title: String, detail: String
    ) {
        let wording = context.wording
        let coverage = ["checked": "\(checkedCellIds.count)", "cells": "\(cellIds.count)"]
        let detail =
            level == .red
            ? wording.taskOverdue.render(
                coverage.merging(["overdue": LetterTemplate.duration(minutes: overdueMinutes(at: now))]) { a, _ in a })
            : wording.taskNearing.render(coverage.merging(["deadline": context.format(deadline)]) { a, _ in a })
        return (wording.taskTitle.render(["taskNumber": number, "task": title]), detail)
    }

    public func letter(in context: SupervisionContext) -> (template: LetterTemplate, fields: [String: String]) {
        (context.policy.taskTemplate, ["taskNumber": number, "task": title, "inspector": inspectorName])
    }
}
