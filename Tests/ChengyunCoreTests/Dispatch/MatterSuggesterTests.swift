import ChengyunCore
import Foundation
import Testing

/// The matter from a report's words, and the public categories it chooses within.
@Suite struct MatterSuggesterTests {
    private let day: Int64 = 86_400_000
    private let now: Int64 = 1_800_000_000_000

    private func lessons(_ pairs: [(String, String)], daysAgo: Int64 = 1) -> [MatterSuggester.Example] {
        pairs.map { MatterSuggester.Example(text: $0.0, matterCode: $0.1, at: now - daysAgo * day) }
    }

    @Test func wordsChooseTheMatterAndACategoryNarrowsTheChoice() throws {
        let suggester = MatterSuggester.train(
            lessons([("路灯不亮", "C0118"), ("路灯坏了", "C0118"), ("垃圾很多", "E0102"), ("垃圾桶满了", "C0305")]), at: now,
            halfLifeDays: 365)
        #expect(suggester.examples == 4 && suggester.heldOutAccuracy == nil) // fewer than ten lessons
        let best = try #require(suggester.suggest("路灯一直不亮").first)
        #expect(best.matterCode == "C0118" && best.confidence > 0.5)
        // Among the garbage category's matters only, the probabilities are taken among those.
        let garbage = try #require(PublicCategory.find("garbage"))
        let inGarbage = suggester.suggest("路灯一直不亮", among: garbage.matterCodes)
        #expect(Set(inGarbage.map(\.matterCode)) == ["E0102", "C0305"])
        #expect(abs(inGarbage.map(\.confidence).reduce(0, +) - 1) < 0.002)
        #expect(suggester.suggest("完全无关的句子xyz").isEmpty)
        #expect(MatterSuggester().suggest("路灯").isEmpty)
    }

    @Test func theHeldOutAccuracyIsTheNewerThirtyPercentRoutedByTheOlderSeventy() {
        // Ten lessons, the newer three unseen by the suggester that routes them: two right, one
        // (a word it never learned for that matter) wrong.
        var pairs: [MatterSuggester.Example] = []
        for n in 0..<7 {
            pairs.append(
                MatterSuggester.Example(
                    text: n % 2 == 0 ? "路灯不亮" : "垃圾很多", matterCode: n % 2 == 0 ? "C0118" : "E0102",
                    at: now - Int64(20 - n) * day))
        }
        pairs += [
            MatterSuggester.Example(text: "路灯坏了", matterCode: "C0118", at: now - 3 * day),
            MatterSuggester.Example(text: "垃圾成堆", matterCode: "E0102", at: now - 2 * day),
            MatterSuggester.Example(text: "路灯下有垃圾", matterCode: "E0104", at: now - 1 * day),
        ]
        let suggester = MatterSuggester.train(pairs, at: now, halfLifeDays: 365)
        #expect(suggester.heldOutAccuracy == 0.6667)
    }

    @Test func aModelSavedBeforeMattersWereLearnedStillReads() throws {
        let model = DispatchModel(trainedAt: now)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as! [String: Any]
        #expect(json["matters"] != nil)
        json["matters"] = nil
        let old = try JSONDecoder().decode(
            DispatchModel.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.matters == MatterSuggester() && old.trainedAt == now)
    }

    @Test func categoriesAreADozenAndEachMatterCodeWellFormed() {
        #expect(PublicCategory.standard.count == 12)
        #expect(Set(PublicCategory.standard.map(\.code)).count == 12)
        for category in PublicCategory.standard {
            #expect(!category.matterCodes.isEmpty)
            for code in category.matterCodes { #expect(MatterCode(code) != nil, "\(category.code): \(code)") }
        }
    }
}
