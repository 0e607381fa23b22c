import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// A citizen's report and an anonymous duplicate of it, followed to closure and rated (回访).
@Suite struct ReportFollowUpTests {
    @Test(arguments: TestBackend.available) func reportersFollowTheirReportsAndRateThemOnceClosed(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let mine = try await platform.cases.report(
                NewReport(
                    matterId: f.garbage.id, description: "小区门口垃圾", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat), by: f.citizen
            ).case
            let anonymous = try await platform.cases.report(
                NewReport(
                    matterId: f.garbage.id, description: "同一堆垃圾", lon: CaseFixture.pointA.lon + 0.0001,
                    lat: CaseFixture.pointA.lat, reporterContact: "13900001111"), by: .anonymousCitizen
            ).case
            #expect(anonymous.state == .merged && anonymous.duplicateOf == mine.id)

            var listed = try await platform.followUp.mine(by: f.citizen)
            #expect(
                listed.map(\.number) == [mine.number] && listed[0].state == .reported && !listed[0].canRate
                    && listed[0].reply == nil)
            let followed = try await platform.followUp.find(number: anonymous.number, contact: "13900001111")
            #expect(followed.mergedInto == mine.number && followed.state == .reported)
            await #expect(throws: DomainError.notFound("Report")) {
                try await platform.followUp.find(number: anonymous.number, contact: "13900002222")
            }
            await #expect(throws: DomainError.self) { try await platform.followUp.mine(by: f.staff(.intake)) }
            let early = ReportFollowUp.RatingInput(satisfaction: .satisfied)
            await #expect(
                throws: DomainError(.conflict, code: "not_closed", "A report is rated once its case is closed.")
            ) {
                try await platform.followUp.rate(reportId: mine.id, early, by: f.citizen)
            }

            // The loop: accepted, verified, filed (and dispatched by the rule), done, checked, closed with a reply.
            let inspector = f.staff(.inspector, in: f.streetA)
            var record = try await platform.cases.act(caseId: mine.id, CaseActionInput(.accept), by: f.staff(.intake))
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.verify, verified: true), by: inspector)
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.file), by: f.staff(.supervisor))
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.complete, note: "已清运"),
                by: f.staff(.handler, in: f.district, department: f.districtSanitation))
            record = try await platform.cases.act(caseId: record.id, CaseActionInput(.pass), by: inspector)
            record = try await platform.cases.act(
                caseId: record.id, CaseActionInput(.close, note: "垃圾已清运，感谢您的反映"), by: f.staff(.supervisor))
            #expect(record.state == .closed)

            listed = try await platform.followUp.mine(by: f.citizen)
            #expect(listed[0].state == .closed && listed[0].reply == "垃圾已清运，感谢您的反映" && listed[0].canRate)
            let rated = try await platform.followUp.rate(
                reportId: mine.id, .init(satisfaction: .basicallySatisfied, comment: " 清运及时 "), by: f.citizen)
            #expect(
                rated.rating?.satisfaction == .basicallySatisfied && rated.rating?.comment == "清运及时"
                    && rated.rating?.caseId == mine.id && !rated.canRate)
            await #expect(throws: DomainError(.conflict, code: "already_rated", "This report has been rated.")) {
                try await platform.followUp.rate(reportId: mine.id, .init(satisfaction: .satisfied), by: f.citizen)
            }
            // The anonymous reporter, by number and contact, rates the case their report was merged into.
            await #expect(throws: DomainError.notFound("Report")) {
                try await platform.followUp.rate(
                    reportId: anonymous.number, .init(satisfaction: .dissatisfied, contact: "139"),
                    by: .anonymousCitizen)
            }
            let theirs = try await platform.followUp.rate(
                reportId: anonymous.number, .init(satisfaction: .dissatisfied, contact: "13900001111"),
                by: .anonymousCitizen)
            #expect(theirs.state == .closed && theirs.reply == "垃圾已清运，感谢您的反映" && theirs.rating?.caseId == mine.id)
            // Someone else's report is not yours to rate.
            let other = Principal(kind: .citizen, id: "citizen-2", name: "另一位市民", scope: nil)
            await #expect(throws: DomainError.notFound("Report")) {
                try await platform.followUp.rate(reportId: mine.id, early, by: other)
            }
        }
    }
}
