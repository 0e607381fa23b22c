import ChengyunCore
import ChengyunStore
import ChengyunTestSupport

/// A district with a gas company and a fire brigade, and a gas-leak plan at levels Ⅲ and Ⅱ whose
/// steps they own: the world the incident tests run in.
struct IncidentWorld {
    var f: CaseFixture
    var gas: Department
    var fire: Department
    var plan: EmergencyPlan

    static func make(_ platform: Platform) async throws -> IncidentWorld {
        let f = try await CaseFixture.make(platform)
        let gas = try await platform.organisation.createDepartment(
            NewDepartment(code: "D-GAS", name: "港华燃气", kind: .gas, areaId: f.district.id, phone: nil), by: .system)
        let fire = try await platform.organisation.createDepartment(
            NewDepartment(code: "D-FIRE", name: "姑苏消防救援大队", kind: .emergency, areaId: f.district.id, phone: nil),
            by: .system)
        let plan = EmergencyPlan(
            code: "gas-leak", name: "燃气泄漏事故应急预案", incidentType: "gas_leak",
            facts: ["casualties", "evacuated"],
            command: CommandStructure(
                headquarters: "燃气泄漏现场指挥部",
                groups: [PlanGroup(code: "rescue", name: "抢险组", departments: ["D-FIRE", "D-GAS"])]),
            levels: [
                PlanLevel(
                    level: .iii, condition: "evacuated >= 10",
                    steps: [
                        PlanStep(code: "cordon", title: "设置警戒区", ownerDepartment: "D-FIRE", deadlineMinutes: 10),
                        PlanStep(
                            code: "shut", title: "关阀止漏", ownerDepartment: "D-GAS", deadlineMinutes: 30,
                            dependsOn: ["cordon"],
                            resources: [ResourceNeed(kind: .vehicle, capability: "gas", quantity: 1)]),
                    ]),
                PlanLevel(
                    level: .ii, condition: "casualties >= 3",
                    steps: [
                        PlanStep(code: "shut", title: "关阀止漏", ownerDepartment: "D-GAS", deadlineMinutes: 20),
                        PlanStep(code: "rescue", title: "抢险救援", ownerGroup: "rescue", deadlineMinutes: 15),
                    ]),
            ])
        return IncidentWorld(f: f, gas: gas, fire: fire, plan: plan)
    }
}
