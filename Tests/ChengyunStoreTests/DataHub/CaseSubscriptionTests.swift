import ChengyunCore
import ChengyunTestSupport
import Foundation
import Testing

@testable import ChengyunStore

/// Subscriptions to topic `case`: each step of a case in the subscriber's area is a delivery
/// written beside its history line, carrying the case's view for the outside and nothing personal.
@Suite struct CaseSubscriptionTests {
    @Test(arguments: TestBackend.available) func eachStepIsHeardInItsAreaAndNothingPersonal(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let city = try await f.account(platform, "city.supervisor", .supervisor)
            let elsewhere = try await f.account(platform, "street.supervisor", .supervisor, in: f.streetB)
            let cityWide = try await platform.subscriptions.subscribe(.init(topic: .case), by: city)
            let street = try await platform.subscriptions.subscribe(.init(topic: .case), by: elsewhere)
            let alarms = try await platform.subscriptions.subscribe(.init(topic: .alarm), by: city)

            let record = try await report(platform, f, by: f.citizen)
            _ = try await act(platform, record.id, CaseActionInput(.accept, note: "请核实"), by: f.staff(.intake))
            _ = try await act(
                platform, record.id, CaseActionInput(.verify, note: "现场属实", verified: true),
                by: f.staff(.inspector, in: f.streetA))
            let filed = try await act(platform, record.id, CaseActionInput(.file), by: f.staff(.supervisor))

            let heard = try await changes(platform, cityWide.subscription.id, by: city)
            #expect(heard.map(\.action) == ["report", "accept", "verify", "file", "dispatch"])
            #expect(heard.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(heard.map(\.toState) == [.reported, .verifying, .filing, .dispatching, .handling])
            #expect(heard.first?.fromState == nil && heard.last?.fromState == .dispatching)
            #expect(heard.allSatisfy { $0.caseId == record.id && $0.number == record.number })
            #expect(heard.last?.departmentIds == [f.districtSanitation.id] && heard.last?.actorKind == "system")
            #expect(heard.last?.stageDeadline == filed.stageDeadline && heard.last?.areaPath == f.cellA.areaPath)
            #expect(heard.first?.actorKind == "citizen" && heard.first?.source == .citizen)
            #expect(heard.allSatisfy { $0.lon == nil && $0.lat == nil }, "a person's report travels without its point")
            #expect(heard.allSatisfy { $0.gridCellId == f.cellA.id })

            // What leaves the platform carries no one's name, contact, words or notes.
            let bodies = try await platform.subscriptions.deliveries(
                id: cityWide.subscription.id, state: nil, page: PageRequest(), by: city
            ).items.map(\.body).joined()
            for secret in ["13900000000", "路边垃圾堆积", "请核实", "现场属实", f.citizen.name, f.citizen.id] {
                #expect(!bodies.contains(secret), "\(secret) left the platform")
            }
            // Nor anything else: every field it carries is one the view names.
            let allowed: Set<String> = [
                "caseId", "number", "seq", "action", "fromState", "toState", "actorKind", "matterCode", "urgency",
                "source", "areaPath", "gridCellId", "lon", "lat", "departmentIds", "stageDeadline", "caseDeadline",
                "duplicateOf", "at",
            ]
            for delivery in try await platform.subscriptions.deliveries(
                id: cityWide.subscription.id, state: nil, page: PageRequest(), by: city
            ).items {
                let body = try JSONSerialization.jsonObject(with: Data(delivery.body.utf8)) as? [String: Any]
                let event = try #require(body?["event"] as? [String: Any])
                #expect(Set(event.keys).isSubset(of: allowed), "\(Set(event.keys).subtracting(allowed))")
            }
            #expect(try await changes(platform, street.subscription.id, by: elsewhere).isEmpty, "street B hears none")
            #expect(try await changes(platform, alarms.subscription.id, by: city).isEmpty)
        }
    }

    /// A duplicate merged into an open case is heard on both: the report merged, the original counting it.
    @Test(arguments: TestBackend.available) func aMergedReportIsHeardOnBothCases(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let city = try await f.account(platform, "city.supervisor", .supervisor)
            let subscription = try await platform.subscriptions.subscribe(.init(topic: .case), by: city)
            let inspector = f.staff(.inspector, in: f.streetA)
            let original = try await report(platform, f, by: inspector)
            let outcome = try await platform.cases.report(
                NewReport(
                    matterId: f.garbage.id, description: "路边垃圾堆积", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat), by: inspector)
            try #require(outcome.mergedInto?.id == original.id)
            let heard = try await changes(platform, subscription.subscription.id, by: city)
            #expect(heard.filter { $0.caseId == original.id }.count == 2, "its report and the repeat it counts")
            #expect(heard.filter { $0.caseId == outcome.case.id }.map(\.duplicateOf) == [original.id])
            #expect(heard.allSatisfy { $0.lon == CaseFixture.pointA.lon }, "what an inspector found keeps its point")
        }
    }

    /// A step whose transaction rolls back leaves no delivery behind.
    @Test(arguments: TestBackend.available) func aStepThatRollsBackIsHeardByNone(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let city = try await f.account(platform, "city.supervisor", .supervisor)
            let subscription = try await platform.subscriptions.subscribe(.init(topic: .case), by: city)
            let record = try await report(platform, f, by: f.staff(.inspector, in: f.streetA))
            struct Abandoned: Error {}
            let snapshot = try await platform.pool.read { try await platform.cases.snapshot(of: record.id, on: $0) }
            await #expect(throws: Abandoned.self) {
                try await platform.pool.transaction { db in
                    _ = try await platform.cases.apply(
                        CaseActionInput(.file), to: snapshot, by: f.staff(.supervisor), on: db)
                    throw Abandoned()
                }
            }
            #expect(try await changes(platform, subscription.subscription.id, by: city).map(\.action) == ["report"])
        }
    }

    // MARK: Steps

    private func report(_ platform: Platform, _ f: CaseFixture, by actor: Principal) async throws -> Case {
        try await platform.cases.report(
            NewReport(
                matterId: f.garbage.id, description: "路边垃圾堆积", lon: CaseFixture.pointA.lon,
                lat: CaseFixture.pointA.lat,
                reporterContact: actor.kind == .citizen ? "13900000000" : nil), by: actor
        ).case
    }

    private func act(_ platform: Platform, _ id: String, _ input: CaseActionInput, by actor: Principal) async throws
        -> Case
    {
        try await platform.cases.act(caseId: id, input, by: actor)
    }

    /// The case changes a subscription holds, each case's in the order of its history (steps in
    /// one millisecond may be delivered in either order; `seq` orders them for the receiver).
    private func changes(_ platform: Platform, _ id: String, by owner: Principal) async throws -> [CaseChange] {
        struct Body: Decodable {
            var topic: String
            var event: CaseChange
        }
        let items = try await platform.subscriptions.deliveries(id: id, state: nil, page: PageRequest(), by: owner)
            .items
        let bodies = try items.map { try JSONDecoder().decode(Body.self, from: Data($0.body.utf8)) }
        #expect(bodies.allSatisfy { $0.topic == "case" })
        return bodies.map(\.event).sorted { ($0.caseId, $0.seq) < ($1.caseId, $1.seq) }
    }
}
