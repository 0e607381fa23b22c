import ChengyunCore
import Testing

/// Learned dispatch: the words it sees, naive Bayes on them, the back-off from the most specific
/// context to the broadest, the weight of age, and the replay that measures it — each expectation
/// worked out by hand.
@Suite struct DispatchModelTests {
    static let day: Int64 = 86_400_000
    static let now: Int64 = 1_800_000_000_000

    @Test func wordsAreChinesePairsAndLowerCasedWords() {
        #expect(TextTokens.of("垃圾满溢 at Broken_Limb, 3号") == ["垃圾", "圾满", "满溢", "at", "broken", "limb", "3", "号"])
        #expect(TextTokens.of("  ,. ").isEmpty)
    }

    @Test func naiveBayesWeighsWordsByLabel() throws {
        var classifier = TextClassifier()
        classifier.learn("street light out", label: "PGE")
        classifier.learn("light pole damaged", label: "DPW")
        // Five words. PGE: ½ × (1+1)/(3+5) × (1+1)/(3+5) = 1/32; DPW: ½ × 2/8 × 1/8 = 1/64.
        let guesses = classifier.classify("Light OUT tonight")
        #expect(guesses.map(\.label) == ["PGE", "DPW"])
        #expect(abs(try #require(guesses.first).probability - 2.0 / 3.0) < 1e-12)
        #expect(classifier.classify("nothing known").isEmpty)
    }

    @Test func contextsRunFromAllFieldsToTheMatterAlone() {
        let facts = DispatchFacts(
            matterId: "C0118", fields: ["Light", "Out", "Pole"], areaIds: ["sf", "d2", "Marina"], source: "Voice In")
        let contexts = DispatchModel.contexts(facts)
        #expect(
            contexts.map(\.level) == [
                .matterFields, .matterFieldsArea, .matterFieldPrefix, .matterFieldPrefix, .matterSource, .matter,
            ])
        #expect(
            contexts.map(\.parts) == [
                ["C0118", "Light", "Out", "Pole"], ["C0118", "Light", "Out", "Marina"], ["C0118", "Light", "Out"],
                ["C0118", "Light"], ["C0118", "Voice In"], ["C0118"],
            ])
        // No fields, no channel: the matter in its area, then the matter.
        #expect(
            DispatchModel.contexts(DispatchFacts(matterId: "C0118", areaIds: ["sf", "d2"])).map(\.parts) == [
                ["C0118", "d2"], ["C0118"],
            ])
    }

    @Test func theMostSpecificContextWithCasesDecidesAndBroaderOnesFillTheRest() throws {
        let model = DispatchModel.train(
            [
                example(["Light", "Out"], "X", "PGE"), example(["Light", "Out"], "X", "PGE"),
                example(["Light", "Out"], "Y", "PGE"), example(["Light", "Pole"], "X", "DPW"),
                example(["Light", "Pole"], "Y", "PGE"),
            ], at: Self.now)
        let out = model.suggest(facts(["Light", "Out"], "Z"))
        #expect(out.map(\.departmentId) == ["PGE", "DPW"])
        // (E, Light, Out): 3 of 3 → 3 / 3.5. Then (E, Light, Z) is empty; (E, Light): DPW 1 of 5 → 1 / 5.5.
        #expect(out[0].level == .matterFields && out[0].cases == 3 && out[0].agreeing == 3)
        #expect(abs(out[0].confidence - 3 / 3.5) < 1e-12)
        #expect(out[1].level == .matterFieldPrefix && out[1].context == ["E", "Light"])
        #expect(abs(out[1].confidence - 1 / 5.5) < 1e-12)
        // (E, Light, Pole): one each; equal weights rank by name. In area X, (E, Light, X) has
        // PGE 2 and DPW 1, but the first context already named both.
        let pole = model.suggest(facts(["Light", "Pole"], "X"))
        #expect(pole.map(\.departmentId) == ["DPW", "PGE"] && abs(pole[0].confidence - 1 / 2.5) < 1e-12)
        // A finest field never seen: the area's context speaks: (E, Light, X) → PGE 2 of 3.
        let new = model.suggest(facts(["Light", "Flicker"], "X"))
        #expect(new.first?.departmentId == "PGE" && new.first?.level == .matterFieldsArea)
        #expect(abs(try #require(new.first).confidence - 2 / 3.5) < 1e-12)
    }

    @Test func newerCasesWeighMoreAndOldOnesFallSilent() throws {
        let old = Self.now - 1095 * Self.day // three half-lives: an eighth each
        let model = DispatchModel.train(
            [
                example(["A"], "X", "OLD", at: old), example(["A"], "X", "OLD", at: old),
                example(["A"], "X", "OLD", at: old), example(["A"], "X", "NEW"),
                example(["B"], "Y", "OLD", at: old),
            ], at: Self.now)
        let a = try #require(model.suggest(facts(["A"], "X")).first)
        // NEW 1 against OLD 0.375: 1 / (1.375 + 0.5).
        #expect(a.departmentId == "NEW" && abs(a.confidence - 1 / 1.875) < 1e-12)
        // (E, B) and (E, Y) weigh 0.125 < 0.5: silent. The matter: NEW 1 against OLD 0.5.
        let b = try #require(model.suggest(facts(["B"], "Y")).first)
        #expect(b.level == .matter && b.departmentId == "NEW" && abs(b.confidence - 0.5) < 1e-12)
    }

    @Test func aMatterWithoutCasesBorrowsItsCategorys() throws {
        func facts(_ matter: String, _ area: String) -> DispatchFacts {
            DispatchFacts(matterId: matter, category: "E01", areaIds: ["sf", area])
        }
        let model = DispatchModel.train(
            [
                DispatchExample(facts: facts("E0101", "X"), departmentId: "CLEAN-X", at: Self.now),
                DispatchExample(facts: facts("E0102", "X"), departmentId: "CLEAN-X", at: Self.now),
                DispatchExample(facts: facts("E0102", "Y"), departmentId: "CLEAN-Y", at: Self.now),
            ], at: Self.now)
        // E0105 has no case: in area Y its category's cases there (one, CLEAN-Y) speak first; in
        // an area with none, the category's three (CLEAN-X 2 of 3).
        let inY = try #require(model.suggest(facts("E0105", "Y")).first)
        #expect(inY.departmentId == "CLEAN-Y" && inY.level == .categoryArea && abs(inY.confidence - 1 / 1.5) < 1e-12)
        let elsewhere = try #require(model.suggest(facts("E0105", "Z")).first)
        #expect(elsewhere.level == .category && elsewhere.departmentId == "CLEAN-X")
        #expect(abs(elsewhere.confidence - 2 / 3.5) < 1e-12)
    }

    @Test func wordsSpeakOnlyWhenNoContextDoes() throws {
        var withText = example(["A"], "X", "SANITATION")
        withText.facts.text = "垃圾桶满了"
        let model = DispatchModel.train([withText, example(["B"], "X", "ROADS")], at: Self.now)
        let unknown = DispatchFacts(matterId: "NEW", areaIds: ["sf", "Q"], text: "这里垃圾很多")
        let guess = try #require(model.suggest(unknown).first)
        #expect(guess.departmentId == "SANITATION" && guess.level == .text && guess.confidence == 1)
    }

    @Test func theReplayRetrainsOnlyOnCasesClosedByThen() {
        // Seven old cases went to D1; from day 20 the matter moved to D2.
        var cases = (0..<7).map { day in
            DispatchEvaluation.Case(
                example: example(["A"], "X", "D1", at: Int64(day) * Self.day),
                closedAt: Int64(day) * Self.day + 3_600_000)
        }
        for day: Int64 in [20, 30, 40] {
            cases.append(.init(example: example(["A"], "X", "D2", at: day * Self.day), closedAt: (day + 1) * Self.day))
        }
        let settings = DispatchModel.Settings(halfLifeDays: 1, minimumWeight: 1e-12)
        // Day 20: knows only D1 (wrong). Day 30: retrained; day 20's case closed on day 21, and at
        // a day's half-life it outweighs all seven (right). Day 40: retrained again (right).
        let weekly = DispatchEvaluation.replay(cases, retrainEvery: 7 * Self.day, threshold: 0, settings: settings)
        #expect(weekly.cases == 3 && weekly.correct == 2 && weekly.topThree == 2 && weekly.trainings == 3)
        #expect(weekly.auto == 3 && weekly.autoCorrect == 2)
        let once = DispatchEvaluation.replay(cases, retrainEvery: nil, threshold: 0, settings: settings)
        #expect(once.correct == 0 && once.trainings == 1)
        // Threshold above every confidence: nothing dispatched automatically.
        #expect(DispatchEvaluation.replay(cases, retrainEvery: 7 * Self.day, threshold: 0.99).auto == 0)
    }

    // MARK: Steps

    private func facts(_ fields: [String], _ area: String) -> DispatchFacts {
        DispatchFacts(matterId: "E", fields: fields, areaIds: ["sf", area], source: "")
    }

    private func example(_ fields: [String], _ area: String, _ department: String, at: Int64 = now)
        -> DispatchExample
    {
        DispatchExample(facts: facts(fields, area), departmentId: department, at: at)
    }
}
