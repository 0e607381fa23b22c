import ChengyunCore
import Testing

/// The comprehensive evaluation's score, by hand.
@Suite struct EvaluationSchemeTests {
    @Test func theScoreIsTheWeightedMeanOfWhatHasAValue() throws {
        let scheme = EvaluationScheme(items: [
            .init(indicatorCode: "a", weight: 30), .init(indicatorCode: "b", weight: 10),
            .init(indicatorCode: "c", weight: 60),
        ])
        // (30 × 80 + 10 × 60 + 60 × 90) / 100 = 84
        #expect(scheme.score(["a": 80, "b": 60, "c": 90]) == 84)
        // c has no value: (30 × 80 + 10 × 60) / 40 = 75
        #expect(scheme.score(["a": 80, "b": 60, "c": nil]) == 75)
        #expect(scheme.score(["x": 1]) == nil)
        #expect(EvaluationScheme.standard.items.map(\.weight).reduce(0, +) == 100)
    }

    @Test func badSchemesAreRefused() {
        let known: Set<String> = ["a", "b"]
        #expect(throws: DomainError.self) { try EvaluationScheme(items: []).validate(known: known) }
        #expect(throws: DomainError.self) {
            try EvaluationScheme(items: [.init(indicatorCode: "a", weight: 0)]).validate(known: known)
        }
        #expect(throws: DomainError.self) {
            try EvaluationScheme(items: [.init(indicatorCode: "z", weight: 1)]).validate(known: known)
        }
        #expect(throws: DomainError.self) {
            try EvaluationScheme(items: [.init(indicatorCode: "a", weight: 1), .init(indicatorCode: "a", weight: 2)])
                .validate(known: known)
        }
        #expect(throws: Never.self) {
            try EvaluationScheme(items: [.init(indicatorCode: "b", weight: 2)]).validate(known: known)
        }
    }
}
