import ChengyunCore
import Foundation
import SQLKit

/// Warnings and supervision of patrol tasks: an open task warns yellow once the policy's share of
/// its time has passed and red once past its deadline; overdue past the policy's allowance, an
/// order goes to its inspector.
extension SupervisionService {
    func sweepPatrolTasks(
        at now: Int64, policy: SupervisionPolicy, calendar: WorkCalendar, ledger: inout SweepLedger,
        on db: any SQLDatabase
    ) async throws {
        for task in try await PatrolRepository().tasks(scope: "/", openOnly: true, limit: 100_000, on: db) {
            let level = task.level(at: now, warningFraction: policy.deadlineWarningFraction)
            guard level != .normal else { continue }
            let overdueMinutes = max(0, now - task.deadline) / 60_000
            let coverage = "已巡查 \(task.checkedCellIds.count)/\(task.cellIds.count) 个网格"
            let detail =
                level == .red
                ? "已超过期限 \(LetterTemplate.duration(minutes: overdueMinutes))，\(coverage)"
                : "期限 \(Instant.format(task.deadline, utcOffsetMinutes: calendar.utcOffsetMinutes))，\(coverage)"
            try await raise(
                Warning(
                    id: Identifier.make(), key: "patrol:\(task.id)", kind: .patrolTask,
                    level: level == .red ? .red : .yellow,
                    targetType: "patrolTask", targetId: task.id, areaPath: task.areaPath, departmentId: nil,
                    title: "巡查任务 \(task.number) \(task.title)", detail: detail, raisedAt: now, updatedAt: now),
                recipients: [task.inspectorId], ledger: &ledger, on: db)
            if level == .red, overdueMinutes > Int64(policy.autoSuperviseAfterMinutes),
                try await repository.orders(scope: "/", taskId: task.id, unansweredOnly: true, limit: 1, on: db).isEmpty
            {
                let order = try await makeOrder(
                    for: task, overdueMinutes: overdueMinutes, note: nil, issuer: (id: "system", name: "预警规则"),
                    automatic: true, policy: policy, calendar: calendar, now: now, on: db)
                ledger.report.ordersIssued += 1
                ledger.events.append(.supervision(order))
                ledger.reminders.append(([task.inspectorId], "督办 \(order.number)", order.letter))
            }
        }
    }

    /// An order on a patrol task, addressed to its inspector, its letter from the task template.
    func makeOrder(
        for task: PatrolTask, overdueMinutes: Int64, note: String?, issuer: (id: String, name: String), automatic: Bool,
        policy: SupervisionPolicy, calendar: WorkCalendar, now: Int64, on db: any SQLDatabase
    ) async throws -> SupervisionOrder {
        let deadline = now + Int64(policy.orderDeadlineHours) * 3_600_000
        let letter = policy.taskTemplate.render([
            "taskNumber": task.number, "task": task.title, "inspector": task.inspectorName,
            "overdue": LetterTemplate.duration(minutes: overdueMinutes),
            "deadline": Instant.format(deadline, utcOffsetMinutes: calendar.utcOffsetMinutes),
            "issuer": issuer.name, "note": note ?? "",
        ])
        let number = try await repository.nextNumber(day: LocalDate(dayNumber: calendar.localDayNumber(now)), on: db)
        var order = SupervisionOrder(
            id: Identifier.make(), number: number, caseId: nil, caseNumber: nil, areaPath: task.areaPath,
            departmentIds: [],
            issuedBy: issuer.id, issuedByName: issuer.name, automatic: automatic, issuedAt: now, deadline: deadline,
            letter: letter)
        (order.taskId, order.taskNumber, order.assigneeId) = (task.id, task.number, task.inspectorId)
        try await repository.insert(order, on: db)
        try await recordIssue(number, on: "patrolTask", task.id, issuer: issuer, automatic: automatic, at: now, on: db)
        return order
    }
}
