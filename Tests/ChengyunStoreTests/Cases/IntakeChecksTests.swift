import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// The intake checks in the platform: duplicates of related matters offered with their score and
/// reasons, invalid-report flags kept for the intake operator (and never shown to the reporter),
/// and the labelled demo-city set measured through the platform's own intake.
@Suite struct IntakeChecksTests {
    private func report(
        _ platform: Platform, _ f: CaseFixture, _ matter: Matter, _ text: String,
        at point: GeoPoint = CaseFixture.pointA,
        contact: String = "13900000001"
    ) async throws -> ReportOutcome {
        try await platform.cases.report(
            NewReport(
                matterId: matter.id, description: text, lon: point.lon, lat: point.lat, reporterContact: contact),
            by: Principal.anonymousCitizen)
    }

    @Test(arguments: TestBackend.available) func aRelatedMatterAtTheSameCornerIsOfferedWithItsReasons(
        backend: TestBackend
    ) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let bins = try #require(try await platform.matters.all().first { $0.code == "C0305" })
            let first = try await report(platform, f, f.garbage, "路口垃圾桶满了，垃圾堆在桶边")
            // About 10 m away, filed under the waste bin by another caller: offered, not merged.
            let near = GeoPoint(lon: CaseFixture.pointA.lon + 0.0001, lat: CaseFixture.pointA.lat)
            let second = try await report(platform, f, bins, "垃圾桶满了溢出来", at: near, contact: "13900000002")
            #expect(second.case.state == .reported && second.mergedInto == nil)
            let match = try #require(second.duplicateMatches.first)
            #expect(second.possibleDuplicates.map(\.id) == [first.case.id] && match.caseId == first.case.id)
            #expect(match.relation == .related && match.distanceMetres > 5 && match.distanceMetres < 15)
            #expect((match.textSimilarity ?? 0) > 0.3 && match.score >= DuplicateRule().suggestAt)
            // The intake operator sees the same beside the report, and merges it.
            let intake = f.staff(.intake)
            let detail = try await platform.cases.detail(id: second.case.id, by: intake)
            #expect(detail.possibleDuplicates.map(\.number) == [first.case.number])
            #expect(detail.possibleDuplicates.first?.match.relation == .related)
            let merged = try await platform.cases.act(
                caseId: second.case.id, CaseActionInput(.merge, duplicateOf: first.case.id), by: intake)
            #expect(merged.state == .merged)
            #expect(try await platform.cases.detail(id: merged.id, by: intake).possibleDuplicates.isEmpty)
        }
    }

    @Test(arguments: TestBackend.available) func invalidReportsAreFlaggedForTheOperatorNeverDropped(
        backend: TestBackend
    ) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let empty = try await report(platform, f, f.garbage, "测试")
            #expect(empty.case.state == .reported && empty.intakeFlags.map(\.code) == [.emptyText])
            // No rule routes a road collapse here, and none was ever closed in the district.
            let collapse = try await platform.cases.report(
                NewReport(
                    matterId: f.roadCollapse.id, description: "路面塌陷出现一个大坑", lon: CaseFixture.pointB.lon,
                    lat: CaseFixture.pointB.lat, customFields: ["size": "small"], reporterContact: "13900000009"),
                by: Principal.anonymousCitizen)
            #expect(collapse.intakeFlags.map(\.code) == [.noDepartment])
            let intake = f.staff(.intake)
            #expect(
                try await platform.cases.detail(id: empty.case.id, by: intake).intakeFlags.map(\.code) == [.emptyText])
            let queue = try await platform.cases.queue(by: intake)
            #expect(queue.first { $0.case.id == empty.case.id }?.intakeFlags.map(\.code) == [.emptyText])
            // The reporter's receipt says nothing of it.
            let receipt = String(decoding: try JSONEncoder().encode(empty.receipt), as: UTF8.self)
            #expect(
                !receipt.contains("emptyText") && !receipt.contains("empty_text") && !receipt.contains("intakeFlags"))
            // Two of this caller's reports voided: the third is flagged.
            let caller = "13900000077"
            for text in ["有人在路边堆垃圾", "路边垃圾很多"] {
                let voided = try await report(platform, f, f.garbage, text, at: CaseFixture.pointB, contact: caller)
                _ = try await platform.cases.act(
                    caseId: voided.case.id, CaseActionInput(.cancel, note: "恶意报案"), by: f.staff(.supervisor))
            }
            let third = try await report(platform, f, f.garbage, "垃圾桶满了没人清运", at: CaseFixture.pointB, contact: caller)
            #expect(third.intakeFlags == [IntakeFlag(.rejectedReporter, detail: "2 of 2 in 90 days")])
            // The operator moves the road collapse to a matter a department handles here: the flag goes.
            _ = try await platform.cases.act(
                caseId: collapse.case.id, CaseActionInput(.accept, matterId: f.garbage.id), by: f.staff(.intake))
            let moved = try await platform.cases.detail(id: collapse.case.id, by: f.staff(.intake))
            #expect(moved.case.matterCode == "E0102" && moved.intakeFlags.isEmpty)
        }
    }

    @Test(arguments: TestBackend.available) func theScoreFindsMoreRepeatsThanTheOldRuleOnTheLabelledSet(
        backend: TestBackend
    ) async throws {
        try await withPlatform(backend) { platform in
            _ = try await DemoCity(platform: platform).build()
            let matters = try await platform.matters.all()
            let cells = try await PageRequest.all {
                try await platform.organisation.listGridCells(areaId: nil, page: $0, by: .system)
            }
            let set = DemoIntakeSet(cells: cells, matters: matters, problems: 40, now: platform.now())
            let root = AreaScope(areaId: "", path: "/")
            let measure = try await IntakeMeasure.run(
                set, on: platform,
                intake: Principal(kind: .staff, id: "t-intake", name: "intake", roles: [.intake], scope: root),
                supervisor: Principal(kind: .staff, id: "t-sup", name: "sup", roles: [.supervisor], scope: root))
            #expect(measure.reports > 80 && measure.scored.repeats > 20)
            #expect(measure.scored.recall > measure.oldRule.recall)
            #expect(measure.scored.precision >= 0.9 && measure.merged.precision >= 0.95)
            for (code, tally) in measure.flags where tally.expected > 0 {
                #expect(tally.recall == 1, "\(code)")
            }
        }
    }
}
