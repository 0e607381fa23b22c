import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// 平战结合 over a real store: a real incident raised to Ⅱ puts its area in wartime in the
/// transaction of the change (a drill never does), subscribers there then hear every level, and a
/// leader brings the area back to peacetime, audited.
@Suite struct WartimeTests {
    @Test(arguments: TestBackend.available) func aGraveIncidentPutsItsAreaInWartime(backend: TestBackend) async throws {
        let clock = TestClock(Instant.parse("2026-11-23T09:00:00+08:00")!)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            _ = try await platform.organisation.createDepartment(
                NewDepartment(code: "D-GAS", name: "港华燃气", kind: .gas, areaId: f.district.id, phone: nil), by: .system)
            let steps = [PlanStep(code: "shut", title: "关阀止漏", ownerDepartment: "D-GAS", deadlineMinutes: 40)]
            _ = try await platform.plans.importPlan(
                EmergencyPlan(
                    code: "gas-leak", name: "燃气泄漏", incidentType: "gas_leak", facts: ["casualties"],
                    command: CommandStructure(headquarters: "现场指挥部", groups: []),
                    levels: [
                        PlanLevel(level: .iv, condition: "1", steps: steps),
                        PlanLevel(level: .ii, condition: "casualties >= 3", steps: steps),
                    ]), by: f.staff(.admin))
            let people = try await Users.make(
                platform, f, [f.staff(.leader, in: f.district), f.staff(.leader, in: f.streetA)])
            let (leader, streetLeader) = (people[0], people[1])
            let notes = Reminders()
            let supervision = SupervisionService(platform: platform, notifier: notes)
            _ = try await supervision.subscribe(
                NewWarningSubscription(kinds: [.incidentTask], minLevel: .red), by: leader)
            let commander = f.staff(.supervisor, in: f.district)

            // A drill at Ⅱ leaves the area in peacetime.
            let drill = try await platform.incidents.open(
                NewIncident(
                    title: "燃气泄漏演练", incidentType: "gas_leak", lon: 120.6, lat: 31.3, facts: ["casualties": 5],
                    drill: true), by: commander)
            _ = try await platform.incidents.activate(
                PlanActivationInput(plan: "gas-leak", level: .ii), on: drill.id, by: commander)
            #expect(try await platform.modes.modes(by: leader).isEmpty)

            // A real one at Ⅳ does not either; raised to Ⅱ, it does, in the same change.
            let incident = try await platform.incidents.open(
                NewIncident(title: "燃气泄漏", incidentType: "gas_leak", lon: 120.6, lat: 31.3), by: commander)
            _ = try await platform.incidents.activate(
                PlanActivationInput(plan: "gas-leak", level: .iv), on: incident.id, by: commander)
            #expect(try await platform.modes.modes(by: leader).isEmpty)
            let board = try await platform.incidents.changeLevel(
                LevelChangeInput(level: .ii, reason: "3 人受伤"), on: incident.id, by: commander)
            var modes = try await platform.modes.modes(by: leader)
            #expect(
                modes.map(\.mode) == [.wartime] && modes[0].areaId == f.district.id
                    && modes[0].incidentId == incident.id)
            #expect(board.log.last?.kind == .decision && board.log.last?.text.contains("转入战时状态") == true)

            // In wartime the leader, who follows red incident-task warnings only, hears the yellow one
            // (35 of 40 minutes gone, past the default 80 %).
            clock.advance(minutes: 35)
            _ = try await supervision.sweep()
            #expect(await notes.recipients.contains { $0.contains(leader.id) })

            // A street leader cannot switch the district; the district's leader brings it back.
            await #expect(throws: DomainError.self) {
                try await platform.modes.switchMode(
                    ModeSwitchInput(areaId: f.district.id, mode: .peacetime, reason: "结束"), by: streetLeader)
            }
            await expectIssues(["reason"]) {
                try await platform.modes.switchMode(
                    ModeSwitchInput(areaId: f.district.id, mode: .peacetime, reason: " "), by: leader)
            }
            _ = try await platform.modes.switchMode(
                ModeSwitchInput(areaId: f.district.id, mode: .peacetime, reason: "险情解除"), by: leader)
            modes = try await platform.modes.modes(by: leader)
            #expect(modes.map(\.mode) == [.peacetime] && modes[0].incidentId == nil && modes[0].reason == "险情解除")
            let audit = try await platform.pool.read {
                try await platform.auditLog.list(.init(), beforeSeq: nil, limit: 20, on: $0)
            }
            #expect(audit.contains { $0.action == "area_mode.peacetime" && $0.targetId == f.district.id })
        }
    }
}
