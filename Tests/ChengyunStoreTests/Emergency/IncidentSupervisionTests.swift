import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// An incident's task running late is watched by the same sweep as cases and patrols: yellow
/// near its deadline, red past it, an automatic order to its department past the allowance, and
/// settled once done.
@Suite struct IncidentSupervisionTests {
    @Test(arguments: TestBackend.available) func aLateTaskIsWarnedAndSupervised(backend: TestBackend) async throws {
        let clock = TestClock(Instant.parse("2026-11-23T09:00:00+08:00")!)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let gas = try await platform.organisation.createDepartment(
                NewDepartment(code: "D-GAS", name: "港华燃气", kind: .gas, areaId: f.district.id, phone: nil), by: .system)
            _ = try await platform.plans.importPlan(
                EmergencyPlan(
                    code: "gas-leak", name: "燃气泄漏", incidentType: "gas_leak", facts: [],
                    command: CommandStructure(headquarters: "现场指挥部", groups: []),
                    levels: [
                        PlanLevel(
                            level: .iv, condition: "1",
                            steps: [
                                PlanStep(code: "shut", title: "关阀止漏", ownerDepartment: "D-GAS", deadlineMinutes: 40),
                                PlanStep(
                                    code: "check", title: "复查", ownerDepartment: "D-GAS", deadlineMinutes: 60,
                                    dependsOn: ["shut"]),
                            ])
                    ]), by: f.staff(.admin))
            let notes = Reminders()
            let supervision = SupervisionService(platform: platform, notifier: notes)
            _ = try await supervision.setPolicy(
                SupervisionPolicy(autoSuperviseAfterMinutes: 30, orderDeadlineHours: 2, deadlineWarningFraction: 0.75),
                by: f.staff(.admin))
            let commander = f.staff(.supervisor, in: f.district)
            let handler = f.staff(.handler, in: f.district, department: gas)
            let incident = try await platform.incidents.open(
                NewIncident(title: "燃气泄漏", incidentType: "gas_leak", lon: 120.6, lat: 31.3), by: commander)
            let board = try await platform.incidents.activate(
                PlanActivationInput(plan: "gas-leak", level: .iv), on: incident.id, by: commander)
            let shut = board.tasks[0]
            #expect(try await supervision.sweep() == .init(), "nothing is late at activation; check still waits")

            // 30 of 40 minutes (75 %): yellow, to the gas company.
            clock.advance(minutes: 30)
            #expect(try await supervision.sweep() == .init(raised: 1))
            var warnings = try await supervision.warnings(openOnly: true, by: handler)
            #expect(warnings.map(\.kind) == [.incidentTask] && warnings[0].level == .yellow)
            #expect(
                warnings[0].title == "应急任务 \(incident.number)-shut 关阀止漏" && warnings[0].targetType == "incidentTask")
            #expect(await notes.recipients.last == [gas.id])

            // Past the deadline: red; 31 minutes past it (allowance 30): an automatic order, once.
            clock.advance(minutes: 11)
            #expect(try await supervision.sweep() == .init(escalated: 1))
            clock.advance(minutes: 30)
            #expect(try await supervision.sweep().ordersIssued == 1)
            #expect(try await supervision.sweep().ordersIssued == 0)
            let orders = try await supervision.orders(caseId: nil, unansweredOnly: true, by: handler)
            #expect(
                orders.count == 1 && orders[0].incidentTaskId == shut.id && orders[0].taskId == nil
                    && orders[0].departmentIds == [gas.id])
            #expect(orders[0].letter.contains("\(incident.number)-shut") && orders[0].letter.contains("港华燃气"))

            // Done: its warning settles. The check it released is due an hour after activation, which
            // has passed too: red at once, on its own key.
            _ = try await platform.incidents.report(
                IncidentTaskEventInput(event: .accept), task: shut.id, on: incident.id, by: handler)
            _ = try await platform.incidents.report(
                IncidentTaskEventInput(event: .complete), task: shut.id, on: incident.id, by: handler)
            #expect(try await supervision.sweep() == .init(raised: 1, resolved: 1))
            warnings = try await supervision.warnings(openOnly: true, by: handler).filter { $0.kind == .incidentTask }
            #expect(warnings.map(\.level) == [.red] && warnings[0].targetId == board.tasks[1].id)
        }
    }
}
