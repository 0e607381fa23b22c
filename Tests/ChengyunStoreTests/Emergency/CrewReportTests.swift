import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// A crew on its phone: its resource's assignment listed, its moves reported from the field with
/// the position, each move checked by the resource's machine and logged on the incident.
@Suite struct CrewReportTests {
    @Test(arguments: TestBackend.available) func aCrewReportsItsMovesOnTheIncident(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let w = try await IncidentWorld.make(platform)
            let service = platform.incidents
            _ = try await platform.plans.importPlan(w.plan, by: w.f.staff(.admin))
            let commander = w.f.staff(.supervisor, in: w.f.district)
            let gasCrew = w.f.staff(.handler, in: w.f.district, department: w.gas)
            let fireCrew = w.f.staff(.handler, in: w.f.district, department: w.fire)
            let incident = try await reportAndActivate("人民路燃气泄漏", platform, by: commander)
            let van = try await platform.emergency.register(
                NewEmergencyResource(
                    code: "GAS-01", name: "燃气抢修车", kind: .vehicle, capabilities: ["gas"], lon: 120.61, lat: 31.31,
                    areaId: w.f.district.id, departmentId: w.gas.id), by: w.f.staff(.admin))
            #expect(try await service.crewAssignments(by: gasCrew).isEmpty, "nothing assigned yet")

            _ = try await service.assign(IncidentResourceInput(resourceId: van.id), on: incident.id, by: commander)
            let mine = try await service.crewAssignments(by: gasCrew)
            #expect(mine.map(\.resource.id) == [van.id] && mine.first?.incident.id == incident.id)
            #expect(mine.first?.openEvents == [.depart, .breakDown])
            #expect(try await service.crewAssignments(by: fireCrew).isEmpty, "another department's van")

            await expectRefusal("not_crew", "the fire brigade cannot move the gas company's van") {
                try await service.crewReport(
                    ResourceEventInput(event: .depart), resource: van.id, on: incident.id, by: fireCrew)
            }
            await expectIssues(["event"]) {
                try await service.crewReport(
                    ResourceEventInput(event: .release), resource: van.id, on: incident.id, by: gasCrew)
            }
            clock.advance(minutes: 1)
            var moved = try await service.crewReport(
                ResourceEventInput(event: .depart, lon: 120.605, lat: 31.305), resource: van.id, on: incident.id,
                by: gasCrew)
            #expect(moved.status == .enRoute && moved.position == GeoPoint(lon: 120.605, lat: 31.305))
            await expectRefusal("resource_unavailable", "it cannot set out twice") {
                try await service.crewReport(
                    ResourceEventInput(event: .depart), resource: van.id, on: incident.id, by: gasCrew)
            }
            clock.advance(minutes: 6)
            moved = try await service.crewReport(
                ResourceEventInput(event: .arrive, note: "阀门井已找到", lon: 120.6006, lat: 31.3005), resource: van.id,
                on: incident.id, by: gasCrew)
            #expect(moved.status == .onScene)
            let moves = try await service.board(incident.id, by: commander).log.filter { $0.kind == .resource }
            #expect(
                moves.map(\.text) == [
                    "调派资源：GAS-01 燃气抢修车", "GAS-01 燃气抢修车：出发（120.605, 31.305）",
                    "GAS-01 燃气抢修车：到达现场（120.6006, 31.3005），阀门井已找到",
                ])
            #expect(moves.last?.actorId == gasCrew.id)

            let other = try await reportAndActivate("干将路燃气泄漏", platform, by: commander)
            await expectRefusal("not_found", "the van is not on that incident") {
                try await service.crewReport(
                    ResourceEventInput(event: .leave), resource: van.id, on: other.id, by: gasCrew)
            }

            // Once the incident closes, the crew still leaves and returns; it does not set out again.
            _ = try await service.close(IncidentCloseInput(summary: "漏点已封堵"), on: incident.id, by: commander)
            moved = try await service.crewReport(
                ResourceEventInput(event: .leave), resource: van.id, on: incident.id, by: gasCrew)
            #expect(moved.status == .returning)
            moved = try await service.crewReport(
                ResourceEventInput(event: .returnToBase), resource: van.id, on: incident.id, by: gasCrew)
            #expect(moved.status == .available && moved.position == moved.home)
            #expect(try await service.crewAssignments(by: gasCrew).isEmpty, "back at base, no longer at work")
            await expectRefusal("not_active", "a closed incident takes no breakdown") {
                try await service.crewReport(
                    ResourceEventInput(event: .breakDown), resource: van.id, on: incident.id, by: gasCrew)
            }
        }
    }

    private func reportAndActivate(_ title: String, _ platform: Platform, by commander: Principal) async throws
        -> Incident
    {
        let incident = try await platform.incidents.open(
            NewIncident(
                title: title, incidentType: "gas_leak", lon: 120.6005, lat: 31.3004, facts: ["evacuated": 12]),
            by: commander)
        _ = try await platform.incidents.activate(
            PlanActivationInput(plan: "gas-leak", level: .iii), on: incident.id, by: commander)
        return incident
    }
}

/// Expects a refusal with this stable code.
func expectRefusal<T>(
    _ code: ErrorCode, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        Issue.record("expected a refusal \(code) \(comment.map { "(\($0))" } ?? "")", sourceLocation: sourceLocation)
    } catch let error as DomainError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}
