import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

@Suite struct CaseLoopTests {
    static func report(
        _ platform: Platform, _ f: CaseFixture, by actor: Principal, matter: Matter? = nil,
        at point: GeoPoint = CaseFixture.pointA, urgency: Urgency? = nil,
        fields: [String: String]? = nil
    ) async throws -> ReportOutcome {
        try await platform.cases.report(
            NewReport(
                matterId: (matter ?? f.garbage).id, description: "路边垃圾堆积",
                lon: point.lon, lat: point.lat, urgency: urgency, customFields: fields,
                reporterContact: actor.kind == .citizen ? "13900000000" : nil), by: actor)
    }

    @Test(arguments: TestBackend.available) func anInspectorsReportRunsTheWholeLoop(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let inspector = f.staff(.inspector, in: f.streetA)
            let outcome = try await Self.report(platform, f, by: inspector)
            var record = outcome.case
            #expect(record.state == .filing, "inspector reports need no verification")
            #expect(record.source == .inspector)
            #expect(record.gridCellId == f.cellA.id && record.areaPath == f.cellA.areaPath)
            #expect(record.number.hasPrefix("E0102") && record.number.hasSuffix("0001") && record.number.count == 17)
            #expect(record.stageDeadline != nil)

            // Filing dispatches at once: the routing rule names the district's sanitation unit.
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.file), by: f.staff(.supervisor))
            #expect(record.state == .handling)
            #expect(record.departmentIds == [f.districtSanitation.id])
            let handler = f.staff(.handler, in: f.district, department: f.districtSanitation)
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.complete, note: "已清运"), by: handler)
            #expect(record.state == .checking)
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.pass), by: inspector)
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.close), by: f.staff(.supervisor))
            #expect(record.state == .closed && record.closedAt != nil)

            let detail = try await platform.cases.detail(id: record.id, by: f.staff(.leader))
            #expect(detail.events.map(\.action) == ["report", "file", "dispatch", "complete", "pass", "close"])
            #expect(detail.events[2].actorId == "system", "auto-dispatch is recorded as the system")
            #expect(detail.stages.map(\.stage) == [.file, .dispatch, .handle, .check, .close])
            #expect(detail.stages.allSatisfy { $0.onTime == true })
            #expect(detail.stages.first { $0.stage == .handle }?.departmentId == f.districtSanitation.id)
            // Closed, the case can only be reopened, and only by a supervisor or an intake
            // operator: the leader has nothing to do, the supervisor has exactly that.
            #expect(detail.allowedActions.isEmpty)
            #expect(
                try await platform.cases.detail(id: record.id, by: f.staff(.supervisor)).allowedActions == [.reopen])
        }
    }

    @Test(arguments: TestBackend.available) func aCitizensReportIsAcceptedAndVerifiedFirst(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            var record = try await Self.report(platform, f, by: f.citizen, matter: f.dirtyRoad).case
            #expect(record.state == .reported && record.source == .citizen)
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.accept), by: f.staff(.intake))
            #expect(record.state == .verifying)
            await #expect(throws: DomainError.self) {
                try await platform.cases.act(
                    caseId: record.id, CaseActionInput(.verify), by: f.staff(.inspector, in: f.streetA))
            }
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.verify, verified: true), by: f.staff(.inspector, in: f.streetA))
            #expect(record.state == .filing)
            // No rule for dirty roads: the case waits for a dispatcher.
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.file, urgency: .urgent), by: f.staff(.supervisor))
            #expect(record.state == .dispatching && record.urgency == .urgent)
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.dispatch, departmentIds: [f.citySanitation.id]),
                by: f.staff(.dispatcher))
            #expect(record.state == .handling)
            // The citizen follows their own report; another citizen cannot.
            #expect(try await platform.cases.detail(id: record.number, by: f.citizen).case.id == record.id)
            await #expect(throws: DomainError.notFound("Case")) {
                try await platform.cases.detail(
                    id: record.id, by: Principal(kind: .citizen, id: "other", name: "x", scope: nil))
            }
        }
    }

    @Test(arguments: TestBackend.available) func eachStepIsGuardedByRoleStateScopeAndDepartment(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let record = try await Self.report(platform, f, by: f.staff(.inspector, in: f.streetA)).case
            func code(_ input: CaseActionInput, _ actor: Principal) async -> String? {
                do {
                    _ = try await platform.cases.act(caseId: record.id, input, by: actor)
                    return nil
                } catch let error as DomainError { return error.code.rawValue } catch { return "\(error)" }
            }
            #expect(await code(CaseActionInput(.file), f.staff(.dispatcher)) == "action_not_allowed")
            #expect(await code(CaseActionInput(.close), f.staff(.supervisor)) == "invalid_transition")
            #expect(await code(CaseActionInput(.file), f.staff(.supervisor, in: f.streetB)) == "out_of_scope")
            #expect(
                await code(CaseActionInput(.reject), f.staff(.supervisor)) == "validation_failed",
                "a rejection gives a reason")
            _ = try await platform.cases.act(caseId: record.id, CaseActionInput(.file), by: f.staff(.supervisor))
            let otherHandler = f.staff(.handler, in: f.city, department: f.citySanitation)
            #expect(await code(CaseActionInput(.complete, note: "done"), otherHandler) == "not_your_case")
            // Each refusal left the case as it was.
            let detail = try await platform.cases.detail(id: record.id, by: f.staff(.leader))
            #expect(detail.events.map(\.action) == ["report", "file", "dispatch"])
        }
    }

    @Test(arguments: TestBackend.available) func sidePathsExtendSuspendReturnReworkAndReopen(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let inspector = f.staff(.inspector, in: f.streetA)
            let dispatcher = f.staff(.dispatcher)
            let handler = f.staff(.handler, in: f.district, department: f.districtSanitation)
            var record = try await Self.report(platform, f, by: inspector).case
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.file), by: f.staff(.supervisor))
            let limit = try #require(record.stageClock?.limitMillis)

            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.requestExtension, minutes: 120), by: handler)
            #expect(record.pendingRequest == .extension)
            await #expect(throws: DomainError.self, "one request at a time") {
                try await platform.cases.act(
                    caseId: record.id, CaseActionInput(.requestSuspension, note: "x"), by: handler)
            }
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.approveExtension), by: dispatcher)
            #expect(record.stageClock?.limitMillis == limit + 120 * 60_000)
            #expect(record.extensionCount == 1 && record.pendingRequest == nil)

            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.requestSuspension, note: "等待管线迁改"), by: handler)
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.approveSuspension), by: dispatcher)
            #expect(record.state == .suspended && record.stageClock?.isSuspended == true && record.stageDeadline == nil)
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.resume), by: dispatcher)
            #expect(record.state == .handling && record.stageDeadline != nil)

            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.complete, note: "已清运"), by: handler)
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.fail, note: "仍有残留"), by: inspector)
            #expect(record.state == .handling && record.reworkCount == 1)

            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.requestReturn, note: "非本单位职责"), by: handler)
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.approveReturn), by: dispatcher)
            #expect(record.state == .dispatching && record.departmentIds.isEmpty)
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.dispatch, departmentIds: [f.citySanitation.id]), by: dispatcher)
            let cityHandler = f.staff(.handler, in: f.city, department: f.citySanitation)
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.complete, note: "已清运"), by: cityHandler)
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.pass), by: inspector)
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.close), by: f.staff(.supervisor))
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.reopen, note: "市民反映未解决"), by: f.staff(.intake))
            #expect(record.state == .dispatching && record.reopenCount == 1 && record.closedAt == nil)
            let detail = try await platform.cases.detail(id: record.id, by: f.staff(.leader))
            #expect(detail.stages.filter { $0.stage == .handle }.count == 3, "handled, reworked, returned")
        }
    }

}
