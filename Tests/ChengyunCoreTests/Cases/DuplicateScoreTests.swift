import ChengyunCore
import Testing

/// The duplicate score and the invalid-report screening, by hand.
@Suite struct DuplicateScoreTests {
    private let now: Int64 = 1_800_000_000_000
    private let hour: Int64 = 3_600_000
    private let here = GeoPoint(lon: 120.6, lat: 31.3)
    private let rule = DuplicateRule() // 50 m, 7 days, suggest at 0.5, merge at 0.6

    private func probe(
        _ code: String, _ text: String, metres: Double = 0, hoursLater: Int64 = 0, fields: [String: String] = [:]
    ) -> DuplicateProbe {
        DuplicateProbe(
            matterCode: code, description: text, customFields: fields,
            position: GeoPoint(lon: here.lon, lat: here.lat + metres / 111_195), reportedAt: now + hoursLater * hour)
    }

    @Test func relationsAreSymmetricAndAMatterIsItsOwnFirstRelative() {
        let relations = MatterRelations.standard
        #expect(relations.relation("E0102", "C0305") == .related)
        #expect(relations.relation("C0305", "E0102") == .related)
        #expect(relations.relation("E0102", "E0102") == .same)
        #expect(relations.relation("E0102", "E0505") == nil)
        #expect(relations.related(to: "E0104") == ["E0104", "E0102", "E0103", "C0305", "E0304"])
    }

    @Test func theScoreWeighsMatterDistanceTimeAndWords() throws {
        // The same text at the same spot an hour apart: 0.4 + 0.25 + 0.1·(1 − 1/168) + 0.25 = 0.999.
        let same = try #require(
            DuplicateScore.match(
                probe("E0102", "垃圾桶满了"), against: probe("E0102", "垃圾桶满了", hoursLater: 1), caseId: "a", rule: rule))
        #expect(same.score == 0.999 && same.relation == .same && same.textSimilarity == 1)
        // A related matter 25 m away three and a half days later, no shared words:
        // 0.4·0.8 + 0.25·0.5 + 0.1·0.5 + 0 = 0.495, just under the suggestion threshold.
        let related = try #require(
            DuplicateScore.match(
                probe("C0305", "果皮箱"), against: probe("E0102", "路边暴露垃圾", metres: 25, hoursLater: 84),
                caseId: "b", rule: rule))
        #expect(related.relation == .related && related.textSimilarity == 0 && abs(related.score - 0.495) < 0.001)
        #expect(
            DuplicateScore.matches(
                probe("C0305", "果皮箱"), among: [("b", probe("E0102", "路边暴露垃圾", metres: 25, hoursLater: 84))], rule: rule
            ).isEmpty)
    }

    @Test func unrelatedFarOrOldCasesAreNoMatchAtAll() {
        let report = probe("E0102", "垃圾")
        #expect(DuplicateScore.match(report, against: probe("E0505", "垃圾"), caseId: "x", rule: rule) == nil)
        #expect(DuplicateScore.match(report, against: probe("E0102", "垃圾", metres: 51), caseId: "x", rule: rule) == nil)
        #expect(
            DuplicateScore.match(report, against: probe("E0102", "垃圾", hoursLater: 7 * 24 + 1), caseId: "x", rule: rule)
                == nil)
    }

    @Test func aDifferingIdentifyingFieldMeansAnotherThingAndIsNeverMerged() throws {
        let mine = probe("E0505", "轿车停在人行道上", fields: ["plate_number": "苏E 12345"])
        let sameCar = probe("E0505", "轿车停在人行道上", metres: 5, fields: ["plate_number": "苏e12345"])
        let otherCar = probe("E0505", "轿车停在人行道上", metres: 5, fields: ["plate_number": "苏E54321"])
        let one = try #require(DuplicateScore.match(mine, against: sameCar, caseId: "same", rule: rule))
        let two = try #require(DuplicateScore.match(mine, against: otherCar, caseId: "other", rule: rule))
        #expect(one.differingFields.isEmpty && two.differingFields == ["plate_number"])
        #expect(abs(two.score - one.score * 0.3) < 0.002)
        #expect(rule.mergeTarget([two, one])?.caseId == "same")
        #expect(rule.mergeTarget([two]) == nil)
    }

    @Test func onlyTheSameMatterIsMergedAndOnlyWhenTheRuleMerges() throws {
        let related = try #require(
            DuplicateScore.match(probe("C0305", "垃圾桶满了"), against: probe("E0102", "垃圾桶满了"), caseId: "r", rule: rule))
        #expect(related.score >= rule.mergeAt && rule.mergeTarget([related]) == nil)
        var suggesting = rule
        suggesting.mode = .suggest
        let same = try #require(
            DuplicateScore.match(probe("E0102", "垃圾桶满了"), against: probe("E0102", "垃圾桶满了"), caseId: "s", rule: rule))
        #expect(rule.mergeTarget([same])?.caseId == "s" && suggesting.mergeTarget([same]) == nil)
    }

    @Test func textSimilarityIsDiceOverContentCharactersPairsAndWords() throws {
        // 路灯坏了 → 路, 灯, 坏, 路灯, 灯坏, 坏了; 路灯不亮 → 路, 灯, 亮, 路灯, 灯不, 不亮: 3 shared of 6 + 6.
        #expect(DuplicateScore.textSimilarity("路灯坏了", "路灯不亮") == 0.5)
        #expect(DuplicateScore.textSimilarity("Pothole on Main St", "pothole main street") == 2.0 * 2 / (3 + 3))
        #expect(DuplicateScore.textSimilarity("。", "路灯") == nil)
    }

    @Test func screeningFlagsWhatAnOperatorWouldSetAside() {
        func codes(_ text: String, prior: [PriorReport] = [], department: Bool = true) -> [IntakeFlag.Code] {
            IntakeScreening.flags(description: text, priorReports: prior, departmentFound: department, at: now)
                .map(\.code)
        }
        #expect(codes("路灯坏了好几天") == [])
        #expect(codes("井盖丢了") == [])
        #expect(codes("pothole") == [])
        for empty in ["测试", "111", "。。。", "test", "垃圾", "  "] { #expect(codes(empty) == [.emptyText], "\(empty)") }
        for noise in ["啊啊啊啊啊啊啊啊", "垃圾垃圾垃圾垃圾垃圾垃圾"] { #expect(codes(noise) == [.repetitiveText], "\(noise)") }
        #expect(codes("路灯坏了好几天", department: false) == [.noDepartment])
        let sameWords = PriorReport(description: "路灯坏了好几天", state: .reported, reportedAt: now - 24 * hour)
        let weekAgo = PriorReport(description: "路灯坏了好几天", state: .reported, reportedAt: now - 8 * 24 * hour)
        #expect(codes("路灯坏了好几天", prior: [sameWords]) == [.repeatedReport])
        #expect(codes("路灯坏了好几天", prior: [weekAgo]) == [])
        let voided = PriorReport(description: "x", state: .cancelled, reportedAt: now - 10 * 24 * hour)
        let refused = PriorReport(description: "y", state: .rejected, reportedAt: now - 80 * 24 * hour)
        let longAgo = PriorReport(description: "z", state: .rejected, reportedAt: now - 91 * 24 * hour)
        #expect(codes("路灯坏了好几天", prior: [voided, longAgo]) == [])
        let flags = IntakeScreening.flags(
            description: "路灯坏了好几天", priorReports: [voided, refused, longAgo], departmentFound: true, at: now)
        #expect(flags == [IntakeFlag(.rejectedReporter, detail: "2 of 2 in 90 days")])
    }
}
