import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// The public reports what the catalogue offers it, and does not set urgency.
@Suite struct PublicReportRulesTests {
    @Test(arguments: TestBackend.available) func citizensReportOnlyPublicMattersAndSetNoUrgency(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            var hidden = MatterInput(f.dirtyRoad)
            hidden.isPublic = false
            _ = try await platform.matters.update(id: f.dirtyRoad.id, hidden, by: .system)
            let point = CaseFixture.pointA
            func report(_ matter: Matter, urgency: Urgency? = nil, by actor: Principal) async throws -> [String] {
                do {
                    _ = try await platform.cases.report(
                        NewReport(
                            matterId: matter.id, description: "路面脏", lon: point.lon, lat: point.lat,
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

    /// The reply a reporter reads is the note of the step that finished the case; a handler's or
    /// an inspector's note on the way is not shown to the public.
    @Test(arguments: TestBackend.available) func onlyTheFinishingStepsNoteIsTheReply(backend: TestBackend) async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let mine = try await platform.cases.report(
                NewReport(
                    matterId: f.garbage.id, description: "垃圾", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat), by: f.citizen
            ).case
            let inspector = f.staff(.inspector, in: f.streetA)
            var record = try await platform.cases.act(caseId: mine.id, CaseActionInput(.accept), by: f.staff(.intake))
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.verify, note: "现场核实：张三家门口", verified: true), by: inspector)
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.file), by: f.staff(.supervisor))
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.complete, note: "内部：外包队伍处理"),
                by: f.staff(.handler, in: f.district, department: f.districtSanitation))
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.pass), by: inspector)
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.close), by: f.staff(.supervisor))
            #expect(record.state == .closed)
            let progress = try await platform.followUp.own(id: mine.id, by: f.citizen)
            #expect(
                progress.state == .closed && progress.reply == nil,
                "a note from the way shown as the reply: \(progress.reply ?? "")")
        }
    }
}
