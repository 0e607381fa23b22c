import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// Emergency statistics over a real store: real incidents and drills counted apart, each within
/// the caller's scope and the period.
@Suite struct IncidentStatisticsTests {
    @Test(arguments: TestBackend.available) func drillsAreCountedApartFromRealIncidents(backend: TestBackend)
        async throws
    {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let w = try await IncidentWorld.make(platform)
            let service = platform.incidents
            _ = try await platform.plans.importPlan(w.plan, by: w.f.staff(.admin))
            let commander = w.f.staff(.supervisor, in: w.f.district)
            let fireCrew = w.f.staff(.handler, in: w.f.district, department: w.fire)
            let start = clock.now

            // A real leak: activated 4 minutes after the report, cordon accepted after 2 and done
            // in 8 (due in 10): on time.
            let leak = try await open("人民路燃气泄漏", drill: false, platform, by: commander)
            clock.advance(minutes: 4)
            var board = try await service.activate(
                PlanActivationInput(plan: "gas-leak", level: .iii), on: leak.id, by: commander)
            clock.advance(minutes: 2)
            _ = try await service.report(
                IncidentTaskEventInput(event: .accept), task: board.tasks[0].id, on: leak.id, by: fireCrew)
            clock.advance(minutes: 6)
            _ = try await service.report(
                IncidentTaskEventInput(event: .complete), task: board.tasks[0].id, on: leak.id, by: fireCrew)
            // A drill of the same plan: activated at once, cordon done late (12 minutes, due in 10).
            let drill = try await open("燃气泄漏演练", drill: true, platform, by: commander)
            board = try await service.activate(
                PlanActivationInput(plan: "gas-leak", level: .iii), on: drill.id, by: commander)
            _ = try await service.report(
                IncidentTaskEventInput(event: .accept), task: board.tasks[0].id, on: drill.id, by: fireCrew)
            clock.advance(minutes: 12)
            _ = try await service.report(
                IncidentTaskEventInput(event: .complete), task: board.tasks[0].id, on: drill.id, by: fireCrew)
            // Reported but never activated.
            _ = try await open("干将路异味", drill: false, platform, by: commander)

            let stats = try await service.statistics(from: start, to: clock.now + 1, by: commander)
            #expect(stats.real.incidents == 2 && stats.drills.incidents == 1)
            #expect(stats.real.byLevel == ["III": 1] && stats.real.byType == ["gas_leak": 2])
            #expect(stats.real.meanMinutesToActivation == 4 && stats.real.meanResponseMinutes == 2)
            #expect(stats.real.tasksDone == 1 && stats.real.tasksOnTime == 1 && stats.real.onTimeRate == 1)
            #expect(stats.drills.meanMinutesToActivation == 0 && stats.drills.meanResponseMinutes == 0)
            #expect(stats.drills.tasksDone == 1 && stats.drills.onTimeRate == 0, "the drill's late task")

            let before = try await service.statistics(from: start - 60_000, to: start, by: commander)
            #expect(before.real.incidents == 0 && before.drills.incidents == 0, "nothing reported before")
            let elsewhere = try await service.statistics(
                from: start, to: clock.now + 1, by: w.f.staff(.supervisor, in: w.f.streetB))
            #expect(elsewhere.real.incidents == 0, "another street's commander sees none of the district's")
            await expectIssues(["from"]) { try await service.statistics(from: 10, to: 10, by: commander) }
        }
    }

    private func open(_ title: String, drill: Bool, _ platform: Platform, by commander: Principal) async throws
        -> Incident
    {
        try await platform.incidents.open(
            NewIncident(
                title: title, incidentType: "gas_leak", lon: 120.6005, lat: 31.3004, facts: ["evacuated": 12],
                drill: drill), by: commander)
    }
}
