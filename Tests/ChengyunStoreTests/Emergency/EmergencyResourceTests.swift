import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// The resource registry over a real store: registration in scope, the status machine enforced
/// when a dispatcher moves a resource (also when two race for the same one), the audit and event
/// trail, and nearest dispatch over what is available in the caller's scope.
@Suite struct EmergencyResourceTests {
    @Test(arguments: TestBackend.available) func aResourceIsAssignedOnceAndFoundNearest(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let admin = f.staff(.admin)
            let dispatcher = f.staff(.dispatcher)
            let service = platform.emergency
            // Two fire engines in the district, 1.1 km and 2.2 km north of the scene; a pump truck nearer.
            let near = try await service.register(
                NewEmergencyResource(
                    code: "FE-01", name: "消防车 1", kind: .vehicle, capabilities: ["fire", "rescue"], lon: 120.62,
                    lat: 31.31, areaId: f.district.id), by: admin)
            let far = try await service.register(
                NewEmergencyResource(
                    code: "FE-02", name: "消防车 2", kind: .vehicle, capabilities: ["fire"], lon: 120.62, lat: 31.32,
                    areaId: f.district.id), by: admin)
            _ = try await service.register(
                NewEmergencyResource(
                    code: "PT-01", name: "排水车", kind: .vehicle, capabilities: ["drainage"], lon: 120.62,
                    lat: 31.3005, areaId: f.streetA.id), by: admin)
            #expect(near.status == .available && near.position == near.home && near.areaPath == f.district.path)

            // Refused: the same code again; bad capabilities and position; an area outside a street admin's scope.
            await #expect(throws: DomainError.self) {
                try await service.register(
                    NewEmergencyResource(
                        code: "FE-01", name: "重复", kind: .vehicle, capabilities: ["fire"], lon: 120.6, lat: 31.3),
                    by: admin)
            }
            await expectIssues(["capabilities", "lon"]) {
                try await service.register(
                    NewEmergencyResource(
                        code: "X-1", name: "坏", kind: .team, capabilities: ["Fire Fighting"], lon: 300, lat: 31.3),
                    by: admin)
            }
            await #expect(throws: DomainError.self) {
                try await service.register(
                    NewEmergencyResource(
                        code: "X-2", name: "越权", kind: .team, capabilities: ["fire"], lon: 120.6, lat: 31.3,
                        areaId: f.district.id), by: f.staff(.admin, in: f.streetB))
            }

            let scene = GeoPoint(lon: 120.62, lat: 31.30)
            var nearest = try await service.nearest(to: scene, capability: "fire", count: 5, by: dispatcher)
            #expect(nearest.map(\.resourceId) == [near.id, far.id])
            #expect(abs(nearest[0].distanceMetres - scene.distance(to: near.position)) < 1e-6)

            // Two dispatchers assign the nearer engine at once: exactly one wins.
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        (try? await service.apply(ResourceEventInput(event: .assign), to: near.id, by: dispatcher))
                            != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1, "one assignment wins, the other is refused")
            do {
                _ = try await service.apply(ResourceEventInput(event: .assign), to: "FE-01", by: dispatcher)
                Issue.record("an assigned engine was assigned again")
            } catch let error as DomainError {
                #expect(error.code == .resourceUnavailable)
            }
            // Busy, it is no longer suggested; the farther one is.
            nearest = try await service.nearest(to: scene, capability: "fire", count: 5, by: dispatcher)
            #expect(nearest.map(\.resourceId) == [far.id])

            // The crew sets out, reports its position, arrives, leaves and comes home.
            var engine = try await service.apply(ResourceEventInput(event: .depart), to: near.id, by: dispatcher)
            engine = try await service.apply(
                ResourceEventInput(event: .arrive, note: "到达现场", lon: 120.6201, lat: 31.3001), to: near.id,
                by: dispatcher)
            #expect(engine.status == .onScene && engine.position == GeoPoint(lon: 120.6201, lat: 31.3001))
            engine = try await service.apply(ResourceEventInput(event: .leave), to: near.id, by: dispatcher)
            engine = try await service.apply(ResourceEventInput(event: .returnToBase), to: near.id, by: dispatcher)
            #expect(engine.status == .available && engine.position == engine.home)

            // Every change is in the audit chain, and listed by capability and status.
            let audit = try await platform.pool.read { db in
                try await db.raw("SELECT action FROM audit_log WHERE target_id = \(bind: near.id)").all()
                    .map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(
                Set(audit) == [
                    "emergency_resource.create", "emergency_resource.assign", "emergency_resource.depart",
                    "emergency_resource.arrive", "emergency_resource.leave", "emergency_resource.returnToBase",
                ])
            let events = try await platform.pool.read { db in
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM emergency_resource_events WHERE resource_id = \(bind: near.id)"
                )
                .first()!.decode(column: "n", as: Int.self)
            }
            #expect(events == 5)
            #expect(
                try await service.list(kind: nil, status: nil, capability: "drainage", by: admin).map(\.code) == [
                    "PT-01"
                ])
            // A street's dispatcher sees and dispatches only what is in their street.
            let streetDispatcher = f.staff(.dispatcher, in: f.streetA)
            #expect(
                try await service.list(kind: nil, status: nil, capability: nil, by: streetDispatcher).map(\.code) == [
                    "PT-01"
                ])
            #expect(try await service.nearest(to: scene, capability: "fire", count: 5, by: streetDispatcher).isEmpty)
            await #expect(throws: DomainError.self) {
                try await service.apply(ResourceEventInput(event: .assign), to: far.id, by: streetDispatcher)
            }
        }
    }
}
