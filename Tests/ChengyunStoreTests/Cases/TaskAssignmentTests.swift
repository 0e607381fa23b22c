import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// 派遣核实/核查: intake operators send verification and check tasks to a named inspector; the
/// task is that inspector's alone, and a check sent late counts against the operator.
@Suite struct TaskAssignmentTests {
    @Test(arguments: TestBackend.available) func checksGoToOneInspectorAndAreTimed(backend: TestBackend) async throws {
        let clock = TestClock(EvaluationTests.at(9, 0))
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let staff = try await Users.make(
                platform, f,
                [
                    f.staff(.inspector, in: f.streetA), f.staff(.inspector, in: f.streetA),
                    f.staff(.inspector, in: f.streetB),
                    f.staff(.intake), f.staff(.supervisor), f.staff(.dispatcher),
                    f.staff(.handler, in: f.district, department: f.districtSanitation),
                ])
            let (inspectorA, inspectorA2, inspectorB, intake, supervisor, handler) = (
                staff[0], staff[1], staff[2], staff[3], staff[4], staff[6]
            )
            func act(_ id: String, _ input: CaseActionInput, _ actor: Principal, at time: (Int, Int)) async throws
                -> Case
            {
                clock.set(EvaluationTests.at(time.0, time.1))
                return try await platform.cases.act(caseId: id, input, by: actor)
            }
            func handled(lon: Double) async throws -> String {
                let id = try await platform.cases.report(
                    NewReport(matterId: f.garbage.id, description: "x", lon: lon, lat: 31.3004),
                    by: inspectorA
                ).case.id
                _ = try await act(id, CaseActionInput(.file), supervisor, at: (9, 5)) // auto-dispatched
                _ = try await act(id, CaseActionInput(.complete, note: "清运完毕"), handler, at: (9, 30))
                return id
            }
            let onTimeCase = try await handled(lon: 120.6005)
            let lateCase = try await handled(lon: 120.6025)

            // Nobody has been sent yet: both inspectors of 平江 see the checks, and so does intake.
            #expect(try await platform.cases.queue(by: inspectorA2).contains { $0.case.id == onTimeCase })
            #expect(try await platform.cases.queue(by: intake).map(\.case.id).contains(onTimeCase))

            // Only an inspector of the case's street can be sent, and only by intake.
            await #expect(throws: DomainError.self) {
                _ = try await act(onTimeCase, CaseActionInput(.assign, inspectorId: inspectorB.id), intake, at: (9, 40))
            }
            await #expect(throws: DomainError.self) {
                _ = try await act(
                    onTimeCase, CaseActionInput(.assign, inspectorId: inspectorA.id), supervisor, at: (9, 40))
            }
            // 09:40 — ten minutes after the work was done, within the 30-minute intake limit.
            let sent = try await act(
                onTimeCase, CaseActionInput(.assign, inspectorId: inspectorA.id), intake, at: (9, 40))
            #expect(sent.assigneeId == inspectorA.id && sent.state == .checking)
            // 10:30 — an hour after: late.
            _ = try await act(lateCase, CaseActionInput(.assign, inspectorId: inspectorA2.id), intake, at: (10, 30))

            // The task is now A's: A2 neither sees it nor may take it; intake has nothing left to send.
            #expect(!(try await platform.cases.queue(by: inspectorA2).contains { $0.case.id == onTimeCase }))
            #expect(try await platform.cases.queue(by: inspectorA).contains { $0.case.id == onTimeCase })
            #expect(!(try await platform.cases.queue(by: intake).contains { $0.case.state == .checking }))
            do {
                _ = try await act(onTimeCase, CaseActionInput(.pass), inspectorA2, at: (10, 40))
                Issue.record("another inspector passed a check sent to A")
            } catch let error as DomainError {
                #expect(error.code == "assigned_elsewhere")
            }
            let passed = try await act(onTimeCase, CaseActionInput(.pass), inspectorA, at: (10, 45))
            #expect(passed.state == .closing && passed.assigneeId == nil, "the task ends with the check")

            // The operator sent two checks, one in time: 50 %.
            let day = Int64(LocalDate(year: 2026, month: 11, day: 24).dayNumber) * 86_400_000 - 8 * 3_600_000
            let report = try await platform.evaluation.evaluate(from: day, to: day + 86_400_000, by: .system)
            let row = try #require(report.intakeOperators.first { $0.id == intake.id })
            #expect(row.figures["onTimeCheckDispatchRate"] == 50)
        }
    }
}
