import Testing

@testable import ChengyunCore

/// The sweep's decisions without a database: each supervised kind's warning, the automatic order's
/// allowance and the order's letter, at instants counted by hand.
@Suite struct SupervisionDecisionTests {
    /// 2026-12-01 00:00 UTC = 08:00 in the calendar's +08:00.
    static let t0: Int64 = 1_796_083_200_000
    static let minute: Int64 = 60_000
    /// A calendar that works round the clock, so working and wall minutes agree.
    static let always = WorkCalendar(
        name: "always", weekPeriods: Array(repeating: [WorkPeriod(start: 0, end: 1440)], count: 7))
    static let context = SupervisionContext(calendar: always, policy: SupervisionPolicy())

    static func task(state: PatrolTask.State = .assigned) -> PatrolTask {
        PatrolTask(
            id: "T1", number: "XJ20261201001", title: "平江路巡查", checklist: ["路面"], cellIds: ["a", "b", "c"],
            areaPath: "/1/2/", inspectorId: "u-liu", inspectorName: "刘监督员", createdBy: "u-li", createdAt: t0,
            deadline: t0 + 600 * minute, state: state, checkedCellIds: ["a"])
    }

    static func handlingCase(limitMinutes: Int = 100) -> Case {
        Case(
            id: "C1", number: "E0102202612010001", kind: .event, matterId: "m1", matterVersion: 1, majorCode: "01",
            minorCode: "02", urgency: .normal, state: .handling, source: .inspector, description: "垃圾",
            address: "人民路 1 号", lon: 120.6, lat: 31.3, areaId: "a2", areaPath: "/1/2/", reporterKind: "staff",
            departmentIds: ["d-san", "d-mun"], duplicateCount: 0, reopenCount: 0, reworkCount: 0, extensionCount: 0,
            customFields: [:], stageClock: StageClock(startedAt: t0, limitMinutes: limitMinutes),
            stageDeadline: t0 + Int64(limitMinutes) * minute, reportedAt: t0, updatedAt: t0, revision: 1)
    }

    // MARK: Patrol tasks (wall time from creation to deadline, 600 minutes here)

    @Test func aTaskWarnsYellowFromTheShareAndRedPastItsDeadline() throws {
        let task = Self.task()
        #expect(Supervision.warning(for: task, at: Self.t0 + 479 * Self.minute, in: Self.context, id: "w") == nil)
        let yellow = try #require(
            Supervision.warning(for: task, at: Self.t0 + 480 * Self.minute, in: Self.context, id: "w1"))
        #expect(yellow.level == .yellow && yellow.key == "patrol:T1" && yellow.kind == .patrolTask)
        #expect(yellow.targetType == "patrolTask" && yellow.targetId == "T1" && yellow.departmentId == nil)
        #expect(yellow.title == "巡查任务 XJ20261201001 平江路巡查")
        // Deadline 10:00 UTC = 18:00 local.
        #expect(yellow.detail == "期限 2026-12-01 18:00，已巡查 1/3 个网格")
        let red = try #require(
            Supervision.warning(for: task, at: Self.t0 + 900 * Self.minute, in: Self.context, id: "w2"))
        #expect(red.level == .red && red.detail == "已超过期限 5 小时，已巡查 1/3 个网格")
        #expect(
            Supervision.warning(
                for: Self.task(state: .done), at: Self.t0 + 900 * Self.minute, in: Self.context, id: "w") == nil)
    }

    @Test func supervisionStartsOnlyPastTheAllowance() {
        // The default policy allows 240 minutes past the deadline (at 600).
        #expect(!Supervision.isPastAllowance(Self.task(), at: Self.t0 + 840 * Self.minute, in: Self.context))
        #expect(Supervision.isPastAllowance(Self.task(), at: Self.t0 + 841 * Self.minute, in: Self.context))
        #expect(!Supervision.isPastAllowance(Self.task(), at: Self.t0 + 500 * Self.minute, in: Self.context))
    }

    @Test func aTaskOrderGoesToItsInspectorWithTheTaskLetter() {
        let now = Self.t0 + 900 * Self.minute
        let order = Supervision.order(
            on: Self.task(), note: nil, issuer: .rules(.chinese), at: now, in: Self.context, id: "o1",
            number: "DB20261201001")
        #expect(order.taskId == "T1" && order.taskNumber == "XJ20261201001" && order.assigneeId == "u-liu")
        #expect(order.caseId == nil && order.departmentIds.isEmpty && order.automatic && order.issuedBy == "system")
        #expect(order.deadline == now + 24 * 60 * Self.minute)
        // Issued 23:00 local; due 24 hours later.
        #expect(
            order.letter
                == "督办通知：巡查任务 XJ20261201001（平江路巡查）已超过期限 5 小时。请 刘监督员 于 2026-12-02 23:00 前完成巡查并回复。—")
    }

    // MARK: Cases (the running stage's working clock against the matter's threshold, 0.8 by default)

    @Test func aCaseStageWarnsFromItsThresholdAndOrdersItsDepartments() throws {
        let subject = SupervisedCase(Self.handlingCase(), matter: nil, departmentNames: ["环卫处", "市政处"])
        #expect(subject.isRunning)
        #expect(Supervision.warning(for: subject, at: Self.t0 + 79 * Self.minute, in: Self.context, id: "w") == nil)
        let yellow = try #require(
            Supervision.warning(for: subject, at: Self.t0 + 80 * Self.minute, in: Self.context, id: "w"))
        #expect(yellow.key == "case:C1:handle" && yellow.departmentId == "d-san")
        #expect(yellow.title == "E0102202612010001 E0102" && yellow.detail == "handle 环节已用时 80%")
        let now = Self.t0 + 350 * Self.minute
        let red = try #require(Supervision.warning(for: subject, at: now, in: Self.context, id: "w"))
        #expect(red.level == .red && red.detail == "handle 环节已超时 4 小时 10 分钟")
        #expect(Supervision.isPastAllowance(subject, at: now, in: Self.context))
        let order = Supervision.order(
            on: subject, note: "请今日内办结", issuer: .init(id: "u-wang", name: "王市长", automatic: false), at: now,
            in: Self.context, id: "o2", number: "DB20261201002")
        #expect(order.caseId == "C1" && order.departmentIds == ["d-san", "d-mun"] && !order.automatic)
        #expect(
            order.letter
                == "督办通知：案件 E0102202612010001（E0102，人民路 1 号）处置环节已超时 4 小时 10 分钟。请 环卫处、市政处 于 2026-12-02 13:50 前办结并回复办理情况。请今日内办结"
        )
    }

    @Test func aSuspendedClockIsNotSwept() {
        var record = Self.handlingCase()
        record.state = .suspended
        record.stageClock?.suspend(at: Self.t0 + 50 * Self.minute, on: Self.always)
        let subject = SupervisedCase(record, matter: nil, departmentNames: [])
        #expect(!subject.isRunning)
        #expect(Supervision.warning(for: subject, at: Self.t0 + 500 * Self.minute, in: Self.context, id: "w") == nil)
    }

    // MARK: Orders and wording

    @Test func anUnansweredOrderWarnsNearAndPastItsDeadline() throws {
        let order = Supervision.order(
            on: Self.task(), note: nil, issuer: .rules(.chinese), at: Self.t0, in: Self.context, id: "o1",
            number: "DB20261201001")
        // 24 hours to answer; yellow from 80 % (19.2 h).
        #expect(Supervision.warning(for: order, at: Self.t0 + 1151 * Self.minute, in: Self.context, id: "w") == nil)
        let yellow = try #require(
            Supervision.warning(for: order, at: Self.t0 + 1152 * Self.minute, in: Self.context, id: "w"))
        #expect(yellow.title == "督办 DB20261201001 即将到期" && yellow.key == "order:o1")
        #expect(yellow.detail == "巡查任务 XJ20261201001，期限 2026-12-02 08:00")
        let red = try #require(
            Supervision.warning(for: order, at: Self.t0 + 1441 * Self.minute, in: Self.context, id: "w"))
        #expect(red.level == .red && red.title == "督办 DB20261201001 逾期未回复")
        var answered = order
        answered.state = .responded
        #expect(Supervision.warning(for: answered, at: Self.t0 + 2000 * Self.minute, in: Self.context, id: "w") == nil)
    }

    @Test func theWordingIsData() throws {
        var english = SupervisionWording.chinese
        english.taskTitle = "Patrol {taskNumber}: {task}"
        english.taskOverdue = "{overdue} late, {checked} of {cells} cells"
        let context = SupervisionContext(calendar: Self.always, policy: SupervisionPolicy(), wording: english)
        let red = try #require(
            Supervision.warning(for: Self.task(), at: Self.t0 + 660 * Self.minute, in: context, id: "w"))
        #expect(red.title == "Patrol XJ20261201001: 平江路巡查" && red.detail == "1 小时 late, 1 of 3 cells")
        #expect(english.subject(of: red) == "红色预警 Patrol XJ20261201001: 平江路巡查")
    }
}
