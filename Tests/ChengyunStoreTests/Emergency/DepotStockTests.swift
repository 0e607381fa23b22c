import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// Depot stock over a real store: restocked by an administrator, issued to an incident and given
/// back through the command, never below zero nor back above what was issued, every move on the
/// incident's log and its board.
@Suite struct DepotStockTests {
    @Test(arguments: TestBackend.available) func materialsMoveWithTheResponseAndComeBack(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let w = try await IncidentWorld.make(platform)
            let admin = w.f.staff(.admin)
            let commander = w.f.staff(.supervisor, in: w.f.district)
            _ = try await platform.plans.importPlan(w.plan, by: admin)
            let depot = try await platform.emergency.register(
                NewEmergencyResource(
                    code: "DP-01", name: "姑苏物资库", kind: .depot, capabilities: ["materials"], lon: 120.61, lat: 31.31,
                    areaId: w.f.district.id), by: admin)
            let van = try await platform.emergency.register(
                NewEmergencyResource(
                    code: "GV-01", name: "抢修车", kind: .vehicle, capabilities: ["gas"], lon: 120.61, lat: 31.31,
                    areaId: w.f.district.id), by: admin)
            _ = try await platform.depots.restock(
                RestockInput(material: "sandbag", unit: "袋", quantity: 1_500), depot: depot.id, by: admin)
            let stocked = try await platform.depots.restock(
                RestockInput(material: "sandbag", unit: "袋", quantity: 500), depot: "DP-01", by: admin)
            #expect(stocked.quantity == 2_000)
            await expectIssues(["unit"]) {
                try await platform.depots.restock(
                    RestockInput(material: "sandbag", unit: "箱", quantity: 10), depot: depot.id, by: admin)
            }
            await expectRefusal("not_a_depot") {
                try await platform.depots.restock(
                    RestockInput(material: "sandbag", unit: "袋", quantity: 1), depot: van.id, by: admin)
            }

            let incident = try await platform.incidents.open(
                NewIncident(title: "内涝", incidentType: "gas_leak", lon: 120.6005, lat: 31.3004), by: commander)
            let issue = { (quantity: Double) in
                try await platform.incidents.moveMaterials(
                    MaterialMoveInput(depotId: "DP-01", material: "sandbag", quantity: quantity), on: incident.id,
                    by: commander)
            }
            await expectRefusal("not_active", "nothing is issued before a plan is activated") { try await issue(10) }
            _ = try await platform.incidents.activate(
                PlanActivationInput(plan: "gas-leak", level: .iii, reason: "演示"), on: incident.id, by: commander)
            #expect(try await issue(800).quantity == 1_200)
            await expectRefusal("insufficient_stock") { try await issue(1_201) }
            await expectIssues(["material"]) {
                try await platform.incidents.moveMaterials(
                    MaterialMoveInput(depotId: "DP-01", material: "tent", quantity: 1), on: incident.id, by: commander)
            }
            let giveBack = { (quantity: Double) in
                try await platform.incidents.moveMaterials(
                    MaterialMoveInput(depotId: depot.id, material: "sandbag", quantity: quantity, giveBack: true),
                    on: incident.id, by: commander)
            }
            _ = try await platform.incidents.close(IncidentCloseInput(summary: "积水排除"), on: incident.id, by: commander)
            await expectRefusal("not_active", "nothing is issued to a closed incident") { try await issue(1) }
            #expect(try await giveBack(300).quantity == 1_500, "given back after the close")
            await expectRefusal("over_return") { try await giveBack(501) }

            let board = try await platform.incidents.board(incident.id, by: commander)
            #expect(
                board.materials == [
                    MaterialLine(
                        depotId: depot.id, depotCode: "DP-01", material: "sandbag", unit: "袋", issued: 800,
                        givenBack: 300)
                ])
            #expect(
                board.log.filter { $0.kind == .resource }.map(\.text) == [
                    "物资出库：DP-01 姑苏物资库 sandbag 800 袋（库存 1200）",
                    "物资归还：DP-01 姑苏物资库 sandbag 300 袋（库存 1500）",
                ])
            #expect(try await platform.depots.stock(of: depot.id, by: commander).map(\.quantity) == [1_500])
        }
    }
}
