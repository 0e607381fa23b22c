import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Patrol tasks over a real store: a supervisor sends an inspector round a cell; check-ins must
/// come from inside the task's cells; a late task warns yellow then red, is supervised with an
/// order addressed to its inspector, and settles when finished; subscribers hear of it.
@Suite struct PatrolTests {
    @Test(arguments: TestBackend.available) func aLatePatrolIsWarnedSupervisedAndFinished(backend: TestBackend)
        async throws
    {
        // Monday 2026-11-23, 09:00 in Suzhou.
        let clock = TestClock(Instant.parse("2026-11-23T09:00:00+08:00")!)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let people = try await Users.make(
                platform, f,
                [
                    f.staff(.inspector, in: f.streetA), f.staff(.inspector, in: f.streetB), f.staff(.leader),
                    f.staff(.inspector, in: f.district),
                ])
            let (inspector, otherInspector, leader, districtInspector) = (people[0], people[1], people[2], people[3])
            let notes = Reminders()
            let supervision = SupervisionService(platform: platform, notifier: notes)
            _ = try await supervision.setPolicy(
                SupervisionPolicy(autoSuperviseAfterMinutes: 60, orderDeadlineHours: 8, deadlineWarningFraction: 0.75),
                by: f.staff(.admin))
            // The leader wants to hear of red patrol warnings only.
            let subscription = try await supervision.subscribe(
                NewWarningSubscription(kinds: [.patrolTask], minLevel: .red), by: leader)
            #expect(subscription.areaPath == f.city.path)

            // Refused: a cell that does not exist, a cell outside the inspector's street, a past deadline, a non-inspector.
            let due = clock.now + 4 * 3_600_000
            await expectIssues(["cells[0]"]) {
                try await platform.patrol.create(
                    NewPatrolTask(title: "巡查", cells: ["no-such-cell"], inspectorId: inspector.id, deadline: due),
                    by: f.staff(.supervisor))
            }
            await expectIssues(["inspectorId"]) {
                try await platform.patrol.create(
                    NewPatrolTask(title: "巡查", cells: [f.cellB.code], inspectorId: inspector.id, deadline: due),
                    by: f.staff(.supervisor))
            }
            await expectIssues(["deadline"]) {
                try await platform.patrol.create(
                    NewPatrolTask(title: "巡查", cells: [f.cellA.id], inspectorId: inspector.id, deadline: clock.now - 1),
                    by: f.staff(.supervisor))
            }
            await expectIssues(["inspectorId"]) {
                try await platform.patrol.create(
                    NewPatrolTask(title: "巡查", cells: [f.cellA.id], inspectorId: leader.id, deadline: due),
                    by: f.staff(.supervisor))
            }

            let task = try await platform.patrol.create(
                NewPatrolTask(
                    title: "平江路市容巡查", checklist: ["暴露垃圾", "占道经营", " "], cells: [f.cellA.code],
                    inspectorId: inspector.id, deadline: due), by: f.staff(.supervisor))
            #expect(task.number == "XC20261123001" && task.state == .assigned && task.checklist == ["暴露垃圾", "占道经营"])
            #expect(task.areaPath == f.cellA.areaPath && task.coverage == 0 && task.inspectorName == "人员0")
            #expect(try await platform.patrol.tasks(openOnly: true, by: inspector).map(\.id) == [task.id])
            #expect(
                try await platform.patrol.tasks(openOnly: true, by: otherInspector).isEmpty,
                "an inspector sees their own tasks")

            // Check-ins: only the task's inspector, only from inside its cells.
            await #expect(throws: DomainError.self) {
                try await platform.patrol.checkIn(
                    taskId: task.id, NewPatrolCheckIn(lon: CaseFixture.pointA.lon, lat: CaseFixture.pointA.lat),
                    by: otherInspector)
            }
            do {
                _ = try await platform.patrol.checkIn(
                    taskId: task.id, NewPatrolCheckIn(lon: CaseFixture.pointB.lon, lat: CaseFixture.pointB.lat),
                    by: inspector)
                Issue.record("a check-in outside the task's cells was taken")
            } catch let error as DomainError {
                #expect(error.code == "outside_task_cells")
            }

            // Three hours in (75 % of four): yellow, addressed to the inspector; the leader's red-only subscription is silent.
            clock.advance(minutes: 180)
            #expect(try await supervision.sweep() == .init(raised: 1))
            var warnings = try await supervision.warnings(openOnly: true, by: leader).filter { $0.kind == .patrolTask }
            #expect(warnings.map(\.level) == [.yellow] && warnings.first?.key == "patrol:\(task.id)")
            #expect(try await supervision.warnings(openOnly: true, subscribed: true, by: leader).isEmpty)
            #expect(await notes.recipients.last == [inspector.id])

            // Past the deadline: red, and now the leader hears of it and finds it in their subscribed list.
            clock.advance(minutes: 61)
            #expect(try await supervision.sweep() == .init(escalated: 1))
            #expect(await notes.recipients.last == [inspector.id, leader.id])
            warnings = try await supervision.warnings(openOnly: true, subscribed: true, by: leader)
            #expect(warnings.map(\.targetId) == [task.id] && warnings.first?.level == .red)

            // Overdue past the allowance (60 minutes): an automatic order to the inspector, once.
            clock.advance(minutes: 60)
            #expect(try await supervision.sweep().ordersIssued == 1)
            #expect(try await supervision.sweep().ordersIssued == 0)
            let orders = try await supervision.orders(caseId: nil, unansweredOnly: true, by: inspector)
            let order = try #require(orders.first)
            #expect(
                orders.count == 1 && order.taskId == task.id && order.taskNumber == task.number
                    && order.assigneeId == inspector.id && order.caseId == nil)
            #expect(
                order.letter.contains(task.number) && order.letter.contains("人员0")
                    && order.letter.contains("1 小时 1 分钟"), "\(order.letter)")
            #expect(try await supervision.orders(caseId: nil, unansweredOnly: true, by: otherInspector).isEmpty)
            await #expect(throws: DomainError.self) {
                try await supervision.acknowledge(orderId: order.id, response: "我来答", by: f.staff(.supervisor))
            }
            let answered = try await supervision.acknowledge(orderId: order.id, response: "正在巡查，半小时内完成", by: inspector)
            #expect(answered.state == .responded && answered.readBy == inspector.id)

            // On site at last: the check-in starts the task; finishing with every cell needs no note.
            let started = try await platform.patrol.checkIn(
                taskId: task.id,
                NewPatrolCheckIn(lon: CaseFixture.pointA.lon, lat: CaseFixture.pointA.lat, note: "无异常"),
                by: inspector)
            #expect(started.state == .inProgress && started.startedAt == clock.now && started.coverage == 1)
            clock.advance(minutes: 20)
            let done = try await platform.patrol.complete(taskId: task.id, note: nil, by: inspector)
            #expect(done.state == .done && done.onTime == false && done.completedAt == clock.now)
            await #expect(throws: DomainError.self) {
                try await platform.patrol.complete(taskId: task.id, note: nil, by: inspector)
            }
            #expect(try await supervision.sweep().resolved == 1)
            let detail = try await platform.patrol.detail(id: task.number, by: leader)
            #expect(detail.checkIns.map(\.cellCode) == [f.cellA.code] && detail.orders.map(\.id) == [order.id])
            await #expect(throws: DomainError.self) {
                try await platform.patrol.detail(id: task.id, by: otherInspector)
            }

            // A manual order on a task; a cell left out needs a reason; a cancelled task needs one too.
            let wide = try await platform.patrol.create(
                NewPatrolTask(
                    title: "姑苏区夜查", cells: [f.cellA.id, f.cellB.id], inspectorId: districtInspector.id,
                    deadline: clock.now + 3_600_000), by: f.staff(.supervisor))
            #expect(wide.number == "XC20261123002" && wide.areaPath == f.district.path)
            let manual = try await supervision.issue(
                NewSupervisionOrder(taskId: wide.number, note: "请按时完成"), by: leader)
            #expect(manual.assigneeId == districtInspector.id && manual.letter.hasSuffix("请按时完成"))
            await expectIssues(["caseId"]) { try await supervision.issue(NewSupervisionOrder(), by: leader) }
            _ = try await platform.patrol.checkIn(
                taskId: wide.id, NewPatrolCheckIn(lon: CaseFixture.pointB.lon, lat: CaseFixture.pointB.lat),
                by: districtInspector)
            await expectIssues(["note"]) {
                try await platform.patrol.complete(taskId: wide.id, note: " ", by: districtInspector)
            }
            let partial = try await platform.patrol.complete(taskId: wide.id, note: "东园网格施工封闭", by: districtInspector)
            #expect(partial.coverage == 0.5 && partial.onTime == true)
            let third = try await platform.patrol.create(
                NewPatrolTask(
                    title: "复查", cells: [f.cellA.id], inspectorId: inspector.id,
                    deadline: clock.now + 3_600_000), by: f.staff(.supervisor))
            await expectIssues(["note"]) {
                try await platform.patrol.cancel(taskId: third.id, note: nil, by: f.staff(.supervisor))
            }
            #expect(
                try await platform.patrol.cancel(taskId: third.id, note: "重复派发", by: f.staff(.supervisor)).state
                    == .cancelled)

            try await supervision.unsubscribe(id: subscription.id, by: leader)
            #expect(try await supervision.subscriptions(by: leader).isEmpty)
            await #expect(throws: DomainError.self) {
                try await supervision.unsubscribe(id: subscription.id, by: leader)
            }
        }
    }

    @Test func aTaskWarnsByItsShareOfTime() {
        let task = PatrolTask(
            id: "t", number: "XC1", title: "t", checklist: [], cellIds: ["a", "b"], areaPath: "/c/", inspectorId: "i",
            inspectorName: "i", createdBy: "s", createdAt: 0, deadline: 100, checkedCellIds: ["a"])
        #expect(
            task.level(at: 79, warningFraction: 0.8) == .normal && task.level(at: 80, warningFraction: 0.8) == .yellow)
        #expect(
            task.level(at: 100, warningFraction: 0.8) == .yellow && task.level(at: 101, warningFraction: 0.8) == .red)
        var done = task
        done.state = .done
        #expect(done.level(at: 500, warningFraction: 0.8) == .normal && task.coverage == 0.5)
        #expect(
            PatrolTask.commonPath(["/a/b/c/", "/a/b/d/"]) == "/a/b/" && PatrolTask.commonPath(["/a/"]) == "/a/"
                && PatrolTask.commonPath(["/a/x/", "/b/"]) == "/")
        let subscription = WarningSubscription(
            id: "s", userId: "u", kinds: [.patrolTask], minLevel: .orange, areaPath: "/c/", createdAt: 0)
        let warning = Warning(
            id: "w", key: "k", kind: .patrolTask, level: .red, targetType: "patrolTask", targetId: "t",
            areaPath: "/c/d/",
            departmentId: nil, title: "", detail: "", raisedAt: 0, updatedAt: 0)
        #expect(subscription.matches(warning))
        var yellow = warning
        yellow.level = .yellow
        var elsewhere = warning
        elsewhere.areaPath = "/e/"
        var stage = warning
        stage.kind = .caseStage
        #expect(!subscription.matches(yellow) && !subscription.matches(elsewhere) && !subscription.matches(stage))
    }
}

/// Who each reminder went to, in order.
actor Reminders: Notifier {
    private(set) var recipients: [[String]] = []
    nonisolated func notify(recipients: [String], subject: String, text: String) async { await record(recipients) }
    private func record(_ list: [String]) { recipients.append(list) }
}

/// Expects a validation error naming exactly these fields.
func expectIssues<T>(
    _ fields: Set<String>, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        Issue.record("expected a refusal naming \(fields)", sourceLocation: sourceLocation)
    } catch let error as DomainError {
        #expect(Set(error.issues.map(\.field)) == fields, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}
