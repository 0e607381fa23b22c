import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// The public reports what the catalogue offers it, and does not set urgency.
@Suite struct PublicReportRulesTests {
    @Test(arguments: TestBackend.available) func citizensReportOnlyPublicMattersAndSetNoUrgency(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            var hidden = MatterInput(f.dirtyRoad)
            hidden.isPublic = false
            _ = try await platform.matters.update(id: f.dirtyRoad.id, hidden, by: .system)
            let point = CaseFixture.pointA
            func report(_ matter: Matter, urgency: Urgency? = nil, by actor: Principal) async throws -> [String] {
                do {
                    _ = try await platform.cases.report(NewReport(matterId: matter.id, description: "路面脏", lon: point.lon, lat: point.lat,
                                                                  urgency: urgency, reporterContact: "13900004444"), by: actor)
                    return []
                } catch let error as DomainError {
                    return error.issues.map { "\($0.field):\($0.code)" }
                }
            }
            #expect(try await report(f.dirtyRoad, by: f.citizen) == ["matterId:not_public"])
            #expect(try await report(f.dirtyRoad, by: .anonymousCitizen) == ["matterId:not_public"])
            #expect(try await report(f.garbage, urgency: .urgent, by: f.citizen) == ["urgency:not_allowed"])
            #expect(try await report(f.garbage, by: f.citizen) == [])
            // Staff report any active matter, at any urgency.
            #expect(try await report(f.dirtyRoad, urgency: .urgent, by: f.staff(.intake)) == [])
        }
    }
}
