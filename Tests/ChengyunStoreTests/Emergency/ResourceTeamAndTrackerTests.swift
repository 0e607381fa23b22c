import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// A team and its members over a real store: only a team takes members; the members follow the
/// team's steps in its transaction, each with its own event; one out of service stays behind. A
/// tracked resource takes its vehicle terminal's positions as the telemetry arrives.
@Suite struct ResourceTeamAndTrackerTests {
    @Test(arguments: TestBackend.available) func aTeamsMembersMoveWithIt(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let admin = f.staff(.admin)
            let dispatcher = f.staff(.dispatcher)
            let service = platform.emergency
            func register(_ code: String, _ kind: ResourceKind, team: String? = nil) async throws -> EmergencyResource {
                try await service.register(
                    NewEmergencyResource(
                        code: code, name: code, kind: kind, capabilities: ["gas"], lon: 120.62, lat: 31.31,
                        areaId: f.district.id, teamId: team), by: admin)
            }
            let team = try await register("GT-01", .team)
            let van = try await register("GV-01", .vehicle, team: "GT-01")
            let detector = try await register("GD-01", .equipment, team: team.id)
            let spare = try await register("GV-02", .vehicle, team: "GT-01")
            #expect(van.teamId == team.id && detector.teamId == team.id)
            // A vehicle is no team, and teams do not nest.
            await expectIssues(["teamId"]) { try await register("GV-03", .vehicle, team: "GV-01") }
            await expectIssues(["teamId"]) { try await register("GT-02", .team, team: "GT-01") }
            await expectIssues(["teamId"]) { try await register("GV-04", .vehicle, team: "GT-99") }

            _ = try await service.apply(ResourceEventInput(event: .breakDown), to: spare.id, by: dispatcher)
            _ = try await service.apply(ResourceEventInput(event: .assign), to: team.id, by: dispatcher)
            var states = try await statuses(platform, ["GT-01", "GV-01", "GD-01", "GV-02"], by: dispatcher)
            #expect(states == [.assigned, .assigned, .assigned, .outOfService])
            await expectRefusal("resource_unavailable", "the van went with its team") {
                try await service.apply(ResourceEventInput(event: .assign), to: van.id, by: dispatcher)
            }
            _ = try await service.apply(
                ResourceEventInput(event: .depart, lon: 120.615, lat: 31.305), to: team.id, by: dispatcher)
            let moved = try await service.resource(id: van.id, by: dispatcher)
            #expect(moved.status == .enRoute && moved.position == GeoPoint(lon: 120.615, lat: 31.305))
            for event in [ResourceEvent.arrive, .leave, .returnToBase] {
                _ = try await service.apply(ResourceEventInput(event: event), to: team.id, by: dispatcher)
            }
            states = try await statuses(platform, ["GT-01", "GV-01", "GD-01", "GV-02"], by: dispatcher)
            #expect(states == [.available, .available, .available, .outOfService])
            #expect(try await service.resource(id: van.id, by: dispatcher).position == van.home, "back at its home")

            // The team falling out of service does not take its members with it.
            _ = try await service.apply(ResourceEventInput(event: .breakDown), to: team.id, by: dispatcher)
            #expect(try await service.resource(id: van.id, by: dispatcher).status == .available)
        }
    }

    @Test(arguments: TestBackend.available) func aTrackedEngineIsWhereItsTerminalSaysItIs(backend: TestBackend)
        async throws
    {
        let now: Int64 = 1_795_000_000_000
        try await withPlatform(backend, clock: TestClock(now)) { platform in
            let f = try await CaseFixture.make(platform)
            let admin = f.staff(.admin)
            let (a, b) = (CaseFixture.pointA, CaseFixture.pointB)
            _ = try await platform.devices.register(
                NewDevice(code: "VT-1", kindCode: "vehicle_terminal", name: "消防车终端", lon: a.lon, lat: a.lat),
                by: .system)
            _ = try await platform.devices.register(
                NewDevice(code: "LP-1", kindCode: "lamp_pole", name: "灯杆", lon: a.lon, lat: a.lat), by: .system)
            func engine(_ code: String, tracker: String?) async throws -> EmergencyResource {
                try await platform.emergency.register(
                    NewEmergencyResource(
                        code: code, name: code, kind: .vehicle, capabilities: ["fire"], lon: a.lon, lat: a.lat,
                        areaId: f.district.id, trackerDevice: tracker), by: admin)
            }
            let tracked = try await engine("FE-T", tracker: "VT-1")
            let untracked = try await engine("FE-U", tracker: nil)
            #expect(tracked.trackerDeviceId != nil && untracked.trackerDeviceId == nil)
            await expectIssues(["trackerDevice"]) { try await engine("FE-L", tracker: "LP-1") }
            await expectIssues(["trackerDevice"]) { try await engine("FE-N", tracker: "VT-99") }

            _ = try await platform.telemetry.ingest(
                [
                    IncomingReading(
                        line: 1, device: "VT-1", at: now - 1_000, values: [("speed", 42)], lon: b.lon, lat: b.lat)
                ], by: .system)
            #expect(try await platform.emergency.resource(id: "FE-T", by: admin).position == b)
            #expect(try await platform.emergency.resource(id: "FE-U", by: admin).position == a)
            let nearest = try await platform.emergency.nearest(to: b, capability: "fire", count: 1, by: admin)
            #expect(nearest.map(\.resourceId) == [tracked.id], "nearest dispatch goes by the live position")
        }
    }

    private func statuses(_ platform: Platform, _ codes: [String], by actor: Principal) async throws
        -> [ResourceStatus]
    {
        var statuses: [ResourceStatus] = []
        for code in codes { statuses.append(try await platform.emergency.resource(id: code, by: actor).status) }
        return statuses
    }
}
