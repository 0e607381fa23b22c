import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// Learned dispatch in the platform: trained on its own closed cases, asked for a filed case,
/// dispatching on its word above the administrators' threshold, and learning from the dispatcher
/// who chose otherwise.
@Suite struct DispatchServiceTests {
    @Test(arguments: TestBackend.available) func theModelLearnsClosedCasesAdvisesAndDispatches(backend: TestBackend)
        async throws
    {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let admin = f.staff(.admin)
            // Three road-cleaning cases, each handled by the city's sanitation department.
            for _ in 0..<3 {
                try await closeCase(platform, f, handledBy: f.citySanitation, clock: clock)
            }
            let first = try await platform.dispatch.train(trigger: "demand", by: admin)
            #expect(first.version == 1 && first.examples == 3 && first.heldOutCases == 1)
            #expect(first.accuracy == 1 && first.triggerKind == "demand" && first.trainedBy == admin.id)

            // A new one: no routing rule covers the matter, the model names the city department.
            clock.advance(minutes: 60)
            var record = try await report(platform, f)
            let advice = try await platform.dispatch.advice(caseId: record.id, by: f.staff(.dispatcher))
            #expect(advice.rule == nil && advice.modelVersion == 1)
            let best = try #require(advice.suggestions.first)
            #expect(best.departmentId == f.citySanitation.id && best.cases == 3 && best.agreeing == 3)
            // Three cases of a few weeks' age: about 3 / 3.5, below the default 0.9.
            #expect(best.confidence > 0.8 && best.confidence < 0.9 && !advice.wouldAutoDispatch)

            // With the threshold at 0.8, filing sends it out on the model's word.
            _ = try await platform.dispatch.setPolicy(DispatchPolicy(threshold: 0.8), by: admin)
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.file), by: f.staff(.supervisor))
            #expect(record.state == .handling && record.departmentIds == [f.citySanitation.id])
            let events = try await platform.cases.detail(id: record.id, by: admin).events
            #expect(events.last?.action == "dispatch" && events.last?.actorId == "system")
            #expect(events.last?.note?.hasPrefix("auto-dispatch by learned model v1") == true)

            // Automatic dispatch off: the dispatcher chooses the district's unit instead — a
            // correction, learned from before its case closes.
            _ = try await platform.dispatch.setPolicy(DispatchPolicy(autoDispatch: false, threshold: 0.8), by: admin)
            clock.advance(minutes: 60 * 24 * 8)
            var corrected = try await report(platform, f)
            corrected = try await platform.cases.act(
                caseId: corrected.id, CaseActionInput(.file), by: f.staff(.supervisor))
            #expect(corrected.state == .dispatching)
            _ = try await platform.cases.act(
                caseId: corrected.id, CaseActionInput(.dispatch, departmentIds: [f.districtSanitation.id]),
                by: f.staff(.dispatcher))
            let second = try await platform.dispatch.train(trigger: "schedule", by: .system)
            #expect(second.version == 2 && second.examples == 4)
            #expect(try await platform.dispatch.versions().map(\.version) == [2, 1])

            // Where a routing rule covers the case, the rule wins and the model only advises.
            _ = try await platform.dispatch.setPolicy(DispatchPolicy(threshold: 0.5), by: admin)
            let garbage = try await platform.cases.report(
                NewReport(
                    matterId: f.garbage.id, description: "垃圾堆积", lon: CaseFixture.pointB.lon,
                    lat: CaseFixture.pointB.lat), by: f.staff(.inspector, in: f.streetB)
            ).case
            let ruled = try await platform.dispatch.advice(caseId: garbage.id, by: admin)
            #expect(ruled.rule?.departmentIds == [f.districtSanitation.id] && !ruled.wouldAutoDispatch)

            await #expect(throws: DomainError.self) {
                try await platform.dispatch.setPolicy(DispatchPolicy(threshold: 0.3), by: admin)
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

    /// A case reported, filed, dispatched by hand, handled, checked and closed; then eight days
    /// pass (past the duplicate window).
    private func closeCase(_ platform: Platform, _ f: CaseFixture, handledBy department: Department, clock: TestClock)
        async throws
    {
        var record = try await report(platform, f)
        record = try await platform.cases.act(caseId: record.id, CaseActionInput(.file), by: f.staff(.supervisor))
        record = try await platform.cases.act(
            caseId: record.id, CaseActionInput(.dispatch, departmentIds: [department.id]), by: f.staff(.dispatcher))
        let handler = f.staff(.handler, in: f.city, department: department)
        record = try await platform.cases.act(caseId: record.id, CaseActionInput(.complete, note: "已处理"), by: handler)
        record = try await platform.cases.act(
            caseId: record.id, CaseActionInput(.pass), by: f.staff(.inspector, in: f.streetA))
        record = try await platform.cases.act(caseId: record.id, CaseActionInput(.close), by: f.staff(.supervisor))
        #expect(record.state == .closed)
        clock.advance(minutes: 60 * 24 * 8)
    }
}
