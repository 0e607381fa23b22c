import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// In wartime the emergency's cases come first in the work queues: a gas leak at Ⅱ puts the
/// district in wartime, and its gas pipe bursts move ahead of an urgent dirty road.
@Suite struct WartimeQueueTests {
    @Test(arguments: TestBackend.available) func theEmergencysCasesComeFirst(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let w = try await IncidentWorld.make(platform)
            let f = w.f
            _ = try await platform.plans.importPlan(w.plan, by: f.staff(.admin))
            let inspector = f.staff(.inspector, in: f.streetA)
            let supervisor = f.staff(.supervisor, in: f.district)
            let road = try await CaseLoopTests.report(platform, f, by: inspector, matter: f.dirtyRoad, urgency: .urgent)
                .case
            let gasBurst = try #require(try await platform.matters.all().first { $0.code == "E0403" })
            let gas = try await CaseLoopTests.report(platform, f, by: inspector, matter: gasBurst).case
            let queue = { try await platform.cases.queue(by: supervisor).map(\.case.id) }
            #expect(try await queue() == [road.id, gas.id], "peacetime: the urgent one first")

            let incident = try await platform.incidents.open(
                NewIncident(title: "人民路燃气泄漏", incidentType: "gas_leak", lon: 120.6005, lat: 31.3004), by: supervisor)
            _ = try await platform.incidents.activate(
                PlanActivationInput(plan: "gas-leak", level: .ii, reason: "3 人受伤"), on: incident.id, by: supervisor)
            #expect(try await platform.modes.modes(by: supervisor).contains { $0.mode == .wartime })
            #expect(try await queue() == [gas.id, road.id], "wartime: the gas leak's matters first")

            _ = try await platform.incidents.close(IncidentCloseInput(summary: "已处置"), on: incident.id, by: supervisor)
            #expect(try await queue() == [road.id, gas.id], "no active incident: the usual order again")
        }
    }
}
