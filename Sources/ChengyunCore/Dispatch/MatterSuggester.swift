import Foundation

/// The matter a free-text report is about, from its words (the citizen's or the 12345 caller's
/// description): naive Bayes (`TextClassifier`) over the platform's filed cases, each weighted by
/// its age like the dispatch model's, optionally among a public category's matters only. A case
/// is a lesson once filed: its matter is then a person's decision, a correction included.
public struct MatterSuggester: Codable, Equatable, Sendable {
    public struct Suggestion: Codable, Equatable, Sendable {
        public var matterCode: String
        /// Probability among the matters asked about (0…1).
        public var confidence: Double
    }

    /// A filed case as a lesson: its description, its matter, when it was filed.
    public struct Example: Equatable, Sendable {
        public var text: String
        public var matterCode: String
        public var at: Int64
        public init(text: String, matterCode: String, at: Int64) {
            self.text = text
            self.matterCode = matterCode
            self.at = at
        }
    }

    private var words = TextClassifier()
    public private(set) var examples = 0
    /// Top-1 accuracy on the newer 30 % of the lessons for a suggester trained on the older 70 %;
    /// nil with fewer than ten lessons.
    public private(set) var heldOutAccuracy: Double?

    public init() {}

    public static func train(_ lessons: [Example], at now: Int64, halfLifeDays: Double) -> MatterSuggester {
        var suggester = learned(lessons, at: now, halfLifeDays: halfLifeDays)
        let ordered = lessons.sorted { $0.at < $1.at }
        if ordered.count >= 10 {
            let cut = ordered.count * 7 / 10
            let older = learned(Array(ordered[..<cut]), at: ordered[cut].at, halfLifeDays: halfLifeDays)
            let newer = ordered[cut...]
            let right = newer.filter { older.suggest($0.text, limit: 1).first?.matterCode == $0.matterCode }.count
            suggester.heldOutAccuracy = (Double(right) / Double(newer.count) * 10_000).rounded() / 10_000
        }
        return suggester
    }

    private static func learned(_ lessons: [Example], at now: Int64, halfLifeDays: Double) -> MatterSuggester {
        var suggester = MatterSuggester()
        for lesson in lessons where !lesson.text.isEmpty {
            let days = Double(max(0, now - lesson.at)) / 86_400_000
            suggester.words.learn(lesson.text, label: lesson.matterCode, weight: pow(0.5, days / halfLifeDays))
            suggester.examples += 1
        }
        return suggester
    }

    /// Up to `limit` matters, most likely first; among `codes` only when given (the probability
    /// taken among those). Empty when nothing was learned or no word of the text was ever seen.
    public func suggest(_ text: String, among codes: [String]? = nil, limit: Int = 3) -> [Suggestion] {
        words.classify(text, limit: limit, among: codes.map(Set.init)).map {
            Suggestion(matterCode: $0.label, confidence: ($0.probability * 1000).rounded() / 1000)
        }
    }
}
