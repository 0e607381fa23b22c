import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Learned dispatch over HTTP, on a city of its own (training on the shared demo city would
/// change what filing does in the tests running beside it): an administrator trains a version,
/// the dispatcher asks where a case goes, a dispatcher of another street is refused, and the
/// policy is read and replaced.
@Suite struct DispatchRoutesTests {
    @Test(arguments: TestBackend.available) func aDispatcherAsksTheModelWithinTheirScope(backend: TestBackend)
        async throws
    {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            for (username, role, area) in [
                ("admin", Role.admin, f.city), ("dispatcher", .dispatcher, f.city),
                ("dispatcher.b", .dispatcher, f.streetB), ("inspector", .inspector, f.streetA),
            ] {
                _ = try await platform.people.createUser(
                    NewUser(
                        username: username, displayName: username, password: AuthFixtures.password, roles: [role],
                        areaId: area.id), by: .system)
            }
            for _ in 0..<3 { try await closedCase(platform, f, clock: clock) }
            let open = try await report(platform, f)

            try await testApplication(platform).test(.router) { client in
                let admin = try await client.login("admin", AuthFixtures.password)
                let dispatcher = try await client.login("dispatcher", AuthFixtures.password)
                let streetB = try await client.login("dispatcher.b", AuthFixtures.password)
                let inspector = try await client.login("inspector", AuthFixtures.password)

                #expect(try await client.call(.post, "/api/v1/dispatch/models", token: dispatcher).status == .forbidden)
                let trained = try await client.call(.post, "/api/v1/dispatch/models", token: admin)
                #expect(trained.status == .created && trained.json["version"] as? Int == 1, "\(trained.text)")
                #expect(trained.json["examples"] as? Int == 3 && trained.json["triggerKind"] as? String == "demand")
                let versions = try await client.call(.get, "/api/v1/dispatch/models", token: dispatcher)
                #expect((versions.json["items"] as? [[String: Any]])?.count == 1)

                let advice = try await client.call(
                    .get, "/api/v1/cases/\(open.id)/dispatch-advice", token: dispatcher)
                #expect(advice.status == .ok && advice.json["modelVersion"] as? Int == 1, "\(advice.text)")
                let best = try #require((advice.json["suggestions"] as? [[String: Any]])?.first)
                #expect(best["departmentId"] as? String == f.citySanitation.id && best["agreeing"] as? Int == 3)
                #expect(advice.json["rule"] == nil && advice.json["wouldAutoDispatch"] as? Bool == false)
                // Another street's dispatcher, an inspector: nothing of the case.
                let foreign = try await client.call(.get, "/api/v1/cases/\(open.id)/dispatch-advice", token: streetB)
                #expect(foreign.status == .forbidden && foreign.json["suggestions"] == nil)
                #expect(
                    try await client.call(.get, "/api/v1/cases/\(open.id)/dispatch-advice", token: inspector).status
                        == .forbidden)
                #expect(
                    try await client.call(.get, "/api/v1/cases/no-such/dispatch-advice", token: dispatcher).status
                        == .notFound)

                let refused = try await client.call(
                    .put, "/api/v1/dispatch/policy", token: admin,
                    json: #"{"autoDispatch":true,"threshold":0.2,"halfLifeDays":3}"#)
                #expect(refused.status.code == 422 && refused.isProblem)
                let fields = (refused.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                #expect(Set(fields) == ["threshold", "halfLifeDays"])
                let saved = try await client.call(
                    .put, "/api/v1/dispatch/policy", token: admin,
                    json: #"{"autoDispatch":true,"threshold":0.8,"halfLifeDays":180}"#)
                #expect(saved.status == .ok)
                let policy = try await client.call(.get, "/api/v1/dispatch/policy", token: dispatcher)
                #expect(policy.json["threshold"] as? Double == 0.8 && policy.json["halfLifeDays"] as? Double == 180)
                #expect(try await client.call(.get, "/api/v1/dispatch/policy", token: inspector).status == .forbidden)
                #expect(
                    try await client.call(
                        .put, "/api/v1/dispatch/policy", token: dispatcher,
                        json: #"{"autoDispatch":false,"threshold":0.9,"halfLifeDays":365}"#
                    ).status == .forbidden)
            }
        }
    }

    // MARK: Steps

    private func report(_ platform: Platform, _ f: CaseFixture) async throws -> Case {
        try await platform.cases.report(
            NewReport(
                matterId: f.dirtyRoad.id, description: "道路有油污", lon: CaseFixture.pointA.lon,
                lat: CaseFixture.pointA.lat), by: f.staff(.inspector, in: f.streetA)
        ).case
    }

    /// A case the city's sanitation department handled, closed; then eight days pass.
    private func closedCase(_ platform: Platform, _ f: CaseFixture, clock: TestClock) async throws {
        var record = try await report(platform, f)
        for (input, actor) in [
            (CaseActionInput(.file), f.staff(.supervisor)),
            (CaseActionInput(.dispatch, departmentIds: [f.citySanitation.id]), f.staff(.dispatcher)),
            (CaseActionInput(.complete, note: "已处理"), f.staff(.handler, in: f.city, department: f.citySanitation)),
            (CaseActionInput(.pass), f.staff(.inspector, in: f.streetA)),
            (CaseActionInput(.close), f.staff(.supervisor)),
        ] {
            record = try await platform.cases.act(caseId: record.id, input, by: actor)
        }
        clock.advance(minutes: 60 * 24 * 8)
    }
}
