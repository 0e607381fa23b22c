import ChengyunCore
import Foundation
import Testing

/// Plans checked, levels suggested from facts, activation and re-planning by hand-worked examples.
@Suite struct PlanTests {
    static let departments: [String: PlanDepartment] = [
        "gas": PlanDepartment(code: "gas", id: "d-gas", name: "燃气公司"),
        "fire": PlanDepartment(code: "fire", id: "d-fire", name: "消防救援大队"),
        "police": PlanDepartment(code: "police", id: "d-police", name: "公安分局"),
    ]

    /// Gas leak: Ⅳ for any leak, Ⅲ with ten evacuated or one hurt, Ⅱ with three hurt.
    static let plan = EmergencyPlan(
        code: "gas-leak", name: "燃气泄漏事故应急预案", incidentType: "gas_leak", version: 1,
        facts: ["casualties", "evacuated"],
        command: CommandStructure(
            headquarters: "燃气泄漏现场指挥部",
            groups: [
                PlanGroup(code: "rescue", name: "抢险组", departments: ["gas", "fire"]),
                PlanGroup(code: "security", name: "警戒组", departments: ["police"]),
            ]),
        levels: [
            PlanLevel(
                level: .iv, condition: "1",
                steps: [
                    PlanStep(code: "cordon", title: "设置警戒区", ownerGroup: "security", deadlineMinutes: 15),
                    PlanStep(
                        code: "shut", title: "关阀止漏", ownerDepartment: "gas", deadlineMinutes: 30,
                        dependsOn: ["cordon"], resources: [ResourceNeed(kind: .team, capability: "gas", quantity: 1)]),
                ]),
            PlanLevel(
                level: .iii, condition: "evacuated >= 10 or casualties >= 1",
                steps: [
                    PlanStep(code: "cordon", title: "设置警戒区并疏散", ownerGroup: "security", deadlineMinutes: 10),
                    PlanStep(
                        code: "rescue", title: "抢险救援", ownerGroup: "rescue", deadlineMinutes: 20,
                        dependsOn: ["cordon"],
                        resources: [ResourceNeed(kind: .vehicle, capability: "fire", quantity: 2)],
                        notification: "{owner}：{incident}{level}级响应，{deadline}前{step}"),
                    PlanStep(
                        code: "shut", title: "关阀止漏", ownerDepartment: "gas", deadlineMinutes: 30,
                        dependsOn: ["rescue"]),
                ]),
            PlanLevel(
                level: .ii, condition: "casualties >= 3",
                steps: [
                    PlanStep(code: "cordon", title: "扩大警戒区", ownerGroup: "security", deadlineMinutes: 10),
                    PlanStep(code: "rescue", title: "抢险救援", ownerGroup: "rescue", deadlineMinutes: 15),
                    PlanStep(code: "medical", title: "医疗救护", ownerDepartment: "fire", deadlineMinutes: 20),
                ]),
        ])

    static let incident = Incident(
        id: "inc-1", number: "YJ20261203001", title: "人民路燃气泄漏", incidentType: "gas_leak",
        scene: GeoPoint(lon: 120.6, lat: 31.3), address: "人民路 100 号", areaId: "a", areaPath: "/1/",
        source: nil, facts: [:], drill: false, reportEveryMinutes: 30, reportedBy: "u", reportedAt: 0, updatedAt: 0)

    static func ids() -> () -> String {
        var next = 0
        return {
            next += 1
            return "id\(next)"
        }
    }

    @Test func aGoodPlanHasNoIssues() {
        #expect(Self.plan.issues(departments: Set(Self.departments.keys)).isEmpty)
    }

    @Test func everyBrokenRuleIsNamedAtItsField() {
        var plan = Self.plan
        plan.levels[0].steps[0].dependsOn = ["shut"] // cordon ⇄ shut
        plan.levels[1].condition = "evacuated >= 10 or deaths >= 1"
        plan.levels[2].condition = "casualties >="
        plan.levels[1].steps[1].ownerGroup = "logistics"
        plan.levels[1].steps[2].ownerDepartment = "water"
        plan.levels[1].steps[2].dependsOn = ["nowhere"]
        plan.levels[2].steps[2].notification = "{owner} {victim}"
        plan.levels[2].steps.append(PlanStep(code: "cordon", title: "重复", ownerGroup: "security", deadlineMinutes: 5))
        plan.command.groups[1].departments = ["police", "army"]
        let issues = plan.issues(departments: Set(Self.departments.keys))
        let found = Set(issues.map { "\($0.field) \($0.code)" })
        #expect(
            found == [
                "levels[0].steps dependency_cycle", "levels[1].condition unknown_fact",
                "levels[2].condition invalid_formula", "levels[1].steps[1].ownerGroup unknown_group",
                "levels[1].steps[2].ownerDepartment unknown_department", "levels[1].steps[2].dependsOn[0] unknown_step",
                "levels[2].steps[2].notification unknown_placeholder", "levels[2].steps[3].code duplicate_code",
                "command.groups[1].departments[1] unknown_department",
            ])
        #expect(issues.first { $0.code == "dependency_cycle" }?.message.contains("cordon → shut → cordon") == true)
    }

    @Test func aLongerCycleIsFoundToo() {
        let steps = ["a": ["c"], "b": ["a"], "c": ["b"], "d": ["a"]].map {
            PlanStep(code: $0.key, title: $0.key, ownerDepartment: "gas", deadlineMinutes: 5, dependsOn: $0.value)
        }
        let cycle = EmergencyPlan.cycle(in: steps.sorted { $0.code < $1.code })
        #expect(cycle == ["a", "c", "b", "a"])
        #expect(EmergencyPlan.cycle(in: steps.filter { $0.code != "b" }) == nil)
    }

    @Test func theGravestLevelWhoseConditionHoldsIsSuggested() {
        #expect(Self.plan.suggestedLevel(facts: [:]) == .iv)
        #expect(Self.plan.suggestedLevel(facts: ["evacuated": 12]) == .iii)
        #expect(Self.plan.suggestedLevel(facts: ["evacuated": 2, "casualties": 1]) == .iii)
        #expect(Self.plan.suggestedLevel(facts: ["casualties": 3]) == .ii)
    }

    @Test func activationMakesTasksNoticesAndRequests() {
        let now: Int64 = 1_000_000
        let a = PlanActivation.activate(
            Self.plan, at: .iii, for: Self.incident, departments: Self.departments, at: now, makeId: Self.ids())
        #expect(a.tasks.map(\.stepCode) == ["cordon", "rescue", "shut"])
        #expect(a.tasks.map(\.status) == [.assigned, .waiting, .waiting])
        #expect(a.tasks.map(\.deadline) == [now + 600_000, now + 1_200_000, now + 1_800_000])
        #expect(a.tasks[1].departmentIds == ["d-gas", "d-fire"] && a.tasks[1].ownerName == "抢险组")
        #expect(a.tasks[0].assignedAt == now && a.tasks[1].assignedAt == nil)
        // One notice per owner department: police; gas and fire; gas.
        #expect(a.notices.map(\.departmentId) == ["d-police", "d-gas", "d-fire", "d-gas"])
        // 1,000,000 ms + 20 min is 00:36:40 UTC, 08:36 in Beijing on 1970-01-01.
        #expect(a.notices[1].text == "抢险组：人民路燃气泄漏Ⅲ级响应，1970-01-01 08:36前抢险救援")
        #expect(a.notices[0].text.hasPrefix("【应急通知】人民路燃气泄漏（YJ20261203001）已启动Ⅲ级响应，燃气泄漏现场指挥部请警戒组"))
        #expect(a.requests.count == 1 && a.requests[0].quantity == 2 && a.requests[0].capability == "fire")
        #expect(a.requests[0].taskId == a.tasks[1].id)
    }

    @Test func finishingAStepReleasesWhatWaitsOnIt() throws {
        var tasks = PlanActivation.activate(
            Self.plan, at: .iii, for: Self.incident, departments: Self.departments, at: 0, makeId: Self.ids()
        ).tasks
        try tasks[0].apply(.accept, reason: nil, at: 60_000)
        try tasks[0].apply(.complete, reason: nil, at: 120_000)
        #expect(PlanActivation.release(&tasks, at: 120_000) == [1])
        #expect(tasks.map(\.status) == [.done, .assigned, .waiting] && tasks[1].assignedAt == 120_000)
    }

    @Test func raisingTheLevelReplansWhatIsNotTakenUp() throws {
        var tasks = PlanActivation.activate(
            Self.plan, at: .iii, for: Self.incident, departments: Self.departments, at: 0, makeId: Self.ids()
        ).tasks
        try tasks[0].apply(.accept, reason: nil, at: 60_000) // cordon taken up: it stays
        let later: Int64 = 600_000
        let replan = PlanActivation.replan(
            tasks, Self.plan, to: .ii, for: Self.incident, departments: Self.departments, at: later,
            makeId: Self.ids())
        let byCode = Dictionary(replan.tasks.map { ($0.stepCode, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byCode["cordon"] == nil, "an accepted task is left as it is")
        // rescue is kept, no longer waits (Ⅱ's rescue depends on nothing) and is due 15 min from now.
        #expect(byCode["rescue"]?.status == .assigned && byCode["rescue"]?.deadline == later + 900_000)
        #expect(byCode["rescue"]?.id == tasks[1].id && byCode["rescue"]?.level == .ii)
        #expect(byCode["shut"]?.status == .cancelled, "Ⅱ has no shut step and it had not been taken up")
        #expect(byCode["medical"]?.status == .assigned && byCode["medical"]?.deadline == later + 1_200_000)
        #expect(replan.notices.map(\.departmentId) == ["d-fire"], "only the new task's owners are told")
    }

    @Test func taskEventsFollowTheMachine() throws {
        var task = PlanActivation.activate(
            Self.plan, at: .iv, for: Self.incident, departments: Self.departments, at: 0, makeId: Self.ids()
        ).tasks[1]
        #expect(task.status == .waiting)
        #expect(throws: DomainError.self) { try task.apply(.accept, reason: nil, at: 1) }
        task.status = .assigned
        try task.apply(.accept, reason: nil, at: 1)
        #expect(throws: DomainError.self) { try task.apply(.block, reason: "  ", at: 2) }
        try task.apply(.block, reason: "阀门井被占压", at: 2)
        #expect(task.blockedReason == "阀门井被占压" && task.status == .blocked)
        try task.apply(.resume, reason: nil, at: 3)
        try task.apply(.complete, reason: nil, at: 4)
        #expect(task.status == .done && task.doneAt == 4 && task.blockedReason == nil)
        // From every status, random reports never leave the table, and done and cancelled are final.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            var status = IncidentTaskStatus.allCases.randomElement(using: &rng)!
            for _ in 0..<8 {
                let event = IncidentTaskEvent.allCases.randomElement(using: &rng)!
                if let next = try? status.after(event) {
                    #expect(status.openEvents.contains(event) && status.isOpen)
                    status = next
                } else {
                    #expect(!status.openEvents.contains(event))
                }
            }
        }
        #expect(IncidentTaskStatus.done.openEvents.isEmpty && IncidentTaskStatus.cancelled.openEvents.isEmpty)
    }

    @Test func theReviewTimesEachStepAgainstItsDeadline() throws {
        var incident = Self.incident
        incident.activatedAt = 0
        let activation = PlanActivation.activate(
            Self.plan, at: .iv, for: incident, departments: Self.departments, at: 0, makeId: Self.ids())
        var tasks = activation.tasks
        try tasks[0].apply(.accept, reason: nil, at: 120_000) // 2 min to accept
        try tasks[0].apply(.complete, reason: nil, at: 600_000) // done at 10 min, due 15
        PlanActivation.release(&tasks, at: 600_000)
        try tasks[1].apply(.accept, reason: nil, at: 900_000) // 5 min after it was released
        try tasks[1].apply(.complete, reason: nil, at: 2_400_000) // done at 40 min, due 30
        var requests = activation.requests
        requests[0].assigned = 1
        let review = IncidentReview(incident: incident, tasks: tasks, requests: requests)
        #expect(review.tasks.map(\.responseMinutes) == [2, 5])
        #expect(review.tasks.map(\.completionMinutes) == [10, 40])
        #expect(review.tasks.map(\.onTime) == [true, false])
        #expect(review.tasksDone == 2 && review.tasksOnTime == 1 && review.onTimeRate == 0.5)
        #expect(review.meanResponseMinutes == 3.5)
        #expect(review.resources.count == 1 && review.resources[0].requested == 1 && review.resources[0].assigned == 1)
    }
}
