import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// 市管大事、区县管难事、镇街管琐事: the level names the centre that leads; the command can be
/// escalated up or handed down the areas covering the scene, never sideways.
@Suite struct CommandLevelTests {
    @Test(arguments: TestBackend.available) func theLevelNamesTheLeadingCentre(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            _ = try await platform.organisation.createDepartment(
                NewDepartment(code: "D-FIRE", name: "消防", kind: .emergency, areaId: f.city.id, phone: nil), by: .system)
            let steps = [PlanStep(code: "go", title: "出动", ownerDepartment: "D-FIRE", deadlineMinutes: 10)]
            _ = try await platform.plans.importPlan(
                EmergencyPlan(
                    code: "fire", name: "火灾", incidentType: "fire", facts: [],
                    command: CommandStructure(headquarters: "现场指挥部", groups: []),
                    levels: [ResponseLevel.iv, .iii, .ii].map { PlanLevel(level: $0, condition: "1", steps: steps) }),
                by: f.staff(.admin))
            let commander = f.staff(.supervisor)
            let incident = try await platform.incidents.open(
                NewIncident(title: "民居火灾", incidentType: "fire", lon: 120.6, lat: 31.3, areaId: f.streetA.id),
                by: commander)
            var board = try await platform.incidents.activate(
                PlanActivationInput(plan: "fire", level: .iv), on: incident.id, by: commander)
            #expect(board.incident.commandAreaId == f.streetA.id && board.incident.commandAreaName == "平江街道")
            board = try await platform.incidents.changeLevel(
                LevelChangeInput(level: .iii, reason: "蔓延"), on: incident.id, by: commander)
            #expect(board.incident.commandAreaId == f.district.id)
            #expect(board.log.last?.text == "Ⅲ级响应由姑苏区指挥")
            // Handed down to the street with the reason; not to the next street, which does not cover the scene.
            await expectIssues(["areaId"]) {
                try await platform.incidents.moveCommand(
                    CommandChangeInput(areaId: f.streetB.id, reason: "就近"), on: incident.id, by: commander)
            }
            let moved = try await platform.incidents.moveCommand(
                CommandChangeInput(areaId: f.streetA.id, reason: "火势已控制"), on: incident.id, by: commander)
            #expect(moved.commandAreaId == f.streetA.id)
            board = try await platform.incidents.board(incident.id, by: commander)
            #expect(board.log.last?.text == "下放指挥：由平江街道指挥（火势已控制）")
            let up = try await platform.incidents.moveCommand(
                CommandChangeInput(areaId: f.city.id, reason: "跨区调度"), on: incident.id, by: commander)
            #expect(up.commandAreaName == "苏州市")
            #expect(
                try await platform.incidents.board(incident.id, by: commander).log.last?.text.hasPrefix("上报指挥") == true)
        }
    }
}
