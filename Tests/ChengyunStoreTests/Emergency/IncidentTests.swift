import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Plans and incidents over a real store: a plan imported and versioned, an incident reported,
/// a plan activated in one transaction, tasks reported on by their departments, a resource
/// assigned against a request, the level raised, the incident closed and reviewed.
@Suite struct IncidentTests {
    private func world(_ platform: Platform) async throws -> IncidentWorld { try await IncidentWorld.make(platform) }

    @Test(arguments: TestBackend.available) func aPlanIsVersionedAndCheckedAgainstTheDepartments(
        backend: TestBackend
    ) async throws {
        try await withPlatform(backend) { platform in
            let w = try await world(platform)
            let admin = w.f.staff(.admin)
            #expect(try await platform.plans.importPlan(w.plan, by: admin).version == 1)
            var edited = w.plan
            edited.name = "燃气泄漏事故应急预案（修订）"
            #expect(try await platform.plans.importPlan(edited, by: admin).version == 2)
            #expect(try await platform.plans.plan("gas-leak").name == edited.name)
            #expect(
                try await platform.plans.plan("gas-leak", version: 1)
                    == {
                        var p = w.plan; p.version = 1; return p
                    }())
            #expect(try await platform.plans.versions("gas-leak").map(\.version) == [2, 1])
            var broken = w.plan
            broken.levels[0].steps[1].ownerDepartment = "D-WATER"
            broken.levels[0].steps[0].dependsOn = ["shut"]
            await expectIssues(["levels[0].steps[1].ownerDepartment", "levels[0].steps"]) {
                try await platform.plans.importPlan(broken, by: admin)
            }
            #expect(try await platform.plans.list().map(\.version) == [2], "a refused plan leaves no version")
            // The file round-trips: what is exported imports again as the next version.
            let exported = try JSONEncoder().encode(try await platform.plans.plan("gas-leak"))
            let again = try JSONDecoder().decode(EmergencyPlan.self, from: exported)
            #expect(try await platform.plans.importPlan(again, by: admin).version == 3)
        }
    }

    @Test(arguments: TestBackend.available) func anIncidentRunsFromReportToReview(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let w = try await world(platform)
            let service = platform.incidents
            _ = try await platform.plans.importPlan(w.plan, by: w.f.staff(.admin))
            let intake = w.f.staff(.intake, in: w.f.district)
            let commander = w.f.staff(.supervisor, in: w.f.district)
            let fireHandler = w.f.staff(.handler, in: w.f.district, department: w.fire)
            let gasHandler = w.f.staff(.handler, in: w.f.district, department: w.gas)

            let incident = try await service.open(
                NewIncident(
                    title: "人民路燃气泄漏", incidentType: "gas_leak", lon: 120.6005, lat: 31.3004, address: "人民路 100 号",
                    facts: ["evacuated": 12]), by: intake)
            #expect(
                incident.status == .reported && incident.number.hasPrefix("YJ")
                    && incident.areaPath == w.f.district.path)
            await #expect(throws: DomainError.self, "another street's commander cannot see it") {
                try await service.incident(incident.id, by: w.f.staff(.supervisor, in: w.f.streetB))
            }
            var board = try await service.board(incident.id, by: commander)
            #expect(board.suggestedLevel == .iii && board.log.map(\.kind) == [.report])

            // Ⅱ's condition is not met: refused without a reason, and nothing is written.
            await expectIssues(["reason"]) {
                try await service.activate(
                    PlanActivationInput(plan: "gas-leak", level: .ii), on: incident.id, by: commander)
            }
            #expect(try await service.board(incident.id, by: commander).tasks.isEmpty)
            clock.advance(minutes: 1)
            board = try await service.activate(
                PlanActivationInput(plan: "gas-leak", level: .iii), on: incident.id, by: commander)
            let activatedAt = board.incident.activatedAt!
            #expect(board.incident.status == .active && board.incident.level == .iii && board.incident.planVersion == 1)
            #expect(
                board.tasks.map(\.stepCode) == ["cordon", "shut"] && board.tasks.map(\.status) == [.assigned, .waiting])
            #expect(board.notices.map(\.departmentId) == [w.fire.id, w.gas.id])
            #expect(board.requests.count == 1 && board.requests[0].assigned == 0)
            #expect(board.nextReportDue == activatedAt + 30 * 60_000)
            await #expect(throws: DomainError.self) {
                try await service.activate(
                    PlanActivationInput(plan: "gas-leak", level: .iii), on: incident.id, by: commander)
            }

            // Tasks reach their departments; only owners (or the command) report on them.
            #expect(try await service.myTasks(by: fireHandler).map(\.stepCode) == ["cordon"])
            #expect(try await service.myTasks(by: gasHandler).isEmpty, "a waiting task is not yet theirs to act on")
            let cordon = board.tasks[0], shut = board.tasks[1]
            await #expect(throws: DomainError.self, "not the gas company's task") {
                try await service.report(
                    IncidentTaskEventInput(event: .accept), task: cordon.id, on: incident.id, by: gasHandler)
            }
            clock.advance(minutes: 2)
            _ = try await service.report(
                IncidentTaskEventInput(event: .accept), task: cordon.id, on: incident.id, by: fireHandler)
            clock.advance(minutes: 5)
            _ = try await service.report(
                IncidentTaskEventInput(event: .complete), task: cordon.id, on: incident.id, by: fireHandler)
            #expect(
                try await service.myTasks(by: gasHandler).map(\.stepCode) == ["shut"], "released when cordon was done")

            // A gas repair van assigned against the request; the same van cannot be assigned twice.
            let van = try await platform.emergency.register(
                NewEmergencyResource(
                    code: "GAS-01", name: "燃气抢修车", kind: .vehicle, capabilities: ["gas"], lon: 120.61, lat: 31.31,
                    areaId: w.f.district.id), by: w.f.staff(.admin))
            let request = board.requests[0].id
            #expect(
                try await service.assign(
                    IncidentResourceInput(resourceId: van.id, requestId: request), on: incident.id, by: commander
                ).status == .assigned)
            await #expect(throws: DomainError.self) {
                try await service.assign(
                    IncidentResourceInput(resourceId: van.id, requestId: request), on: incident.id, by: commander)
            }
            board = try await service.board(incident.id, by: commander)
            #expect(board.requests[0].assigned == 1, "the refused assignment counted nothing")
            #expect(board.resources.map(\.id) == [van.id])

            // The gas company accepts; then casualties rise and the level goes to Ⅱ.
            clock.advance(minutes: 1)
            _ = try await service.report(
                IncidentTaskEventInput(event: .accept), task: shut.id, on: incident.id, by: gasHandler)
            clock.advance(minutes: 1)
            _ = try await service.record(
                IncidentLogInput(kind: .situation, text: "现场 3 人受伤送医", facts: ["casualties": 3]), on: incident.id,
                by: commander)
            #expect(try await service.board(incident.id, by: commander).suggestedLevel == .ii)
            board = try await service.changeLevel(
                LevelChangeInput(level: .ii, reason: "3 人受伤"), on: incident.id, by: commander)
            #expect(board.incident.level == .ii)
            #expect(board.tasks.map(\.stepCode) == ["cordon", "shut", "rescue"])
            #expect(board.tasks.map(\.status) == [.done, .accepted, .assigned], "accepted shut stays; rescue is new")
            #expect(board.notices.count == 4, "rescue's two departments are told")
            #expect(board.log.suffix(3).map(\.kind) == [.level, .decision, .decision], "the city leads; wartime")
            #expect(board.log.dropLast(2).last?.text.hasPrefix("升级：Ⅲ级 → Ⅱ级") == true)
            #expect(board.incident.commandAreaId == w.f.city.id)

            // Close: refused while a task is under way, then done.
            await #expect(throws: DomainError.self) {
                try await service.close(IncidentCloseInput(summary: "处置完毕"), on: incident.id, by: commander)
            }
            clock.advance(minutes: 40)
            _ = try await service.report(
                IncidentTaskEventInput(event: .complete), task: shut.id, on: incident.id, by: gasHandler)
            let closed = try await service.close(
                IncidentCloseInput(summary: "泄漏点已封堵，无人员死亡"), on: incident.id, by: commander)
            #expect(closed.status == .closed && closed.summary == "泄漏点已封堵，无人员死亡")
            let review = try await service.review(incident.id, by: commander)
            // cordon: accepted 2 min after assignment, done 7 min after activation (due 10): on time.
            // shut: released at 7 min, accepted at 8, done at 49; taken up before the level changed, it
            // kept its deadline of 30 min after activation: late.
            #expect(review.tasks.map(\.stepCode) == ["cordon", "shut"])
            #expect(review.tasks.map(\.responseMinutes) == [2, 1])
            #expect(review.tasks.map(\.completionMinutes) == [7, 49])
            #expect(review.tasks.map(\.onTime) == [true, false])
            #expect(review.resources.first?.assigned == 1)
            let log = try await service.board(incident.id, by: commander).log.map(\.kind)
            #expect(
                log == [
                    .report, .level, .decision, .task, .task, .resource, .task, .situation, .level, .decision,
                    .decision, .task, .close,
                ])
        }
    }

    @Test(arguments: TestBackend.available) func aFailedActivationWritesNothing(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let w = try await world(platform)
            _ = try await platform.plans.importPlan(w.plan, by: w.f.staff(.admin))
            let commander = w.f.staff(.supervisor, in: w.f.district)
            let incident = try await platform.incidents.open(
                NewIncident(title: "燃气泄漏", incidentType: "gas_leak", lon: 120.6, lat: 31.3, facts: ["evacuated": 20]),
                by: commander)
            // The gas company is dissolved after the plan was saved: the plan no longer checks.
            _ = try await platform.organisation.updateDepartment(
                id: w.gas.id, DepartmentChange(name: nil, kind: nil, phone: nil, active: false), by: .system)
            await expectIssues([
                "levels[0].steps[1].ownerDepartment", "levels[1].steps[0].ownerDepartment",
                "command.groups[0].departments[1]",
            ]) {
                try await platform.incidents.activate(
                    PlanActivationInput(plan: "gas-leak", level: .iii), on: incident.id, by: commander)
            }
            let board = try await platform.incidents.board(incident.id, by: commander)
            #expect(board.incident.status == .reported && board.tasks.isEmpty && board.notices.isEmpty)
            #expect(board.requests.isEmpty && board.log.count == 1)
        }
    }
}
