import Foundation

/// Learned dispatch (智能分拨): which department handles a case, learned from the platform's own
/// closed cases. A back-off over contexts from the most specific to the broadest — the matter with
/// all its fields; with its coarser fields in the case's finest area; with ever fewer fields; with
/// the intake channel; the matter alone; its major category in the area, and alone — where the first context with enough recent cases behind
/// it decides, and the description's words (`TextClassifier`) speak only when none has. Every
/// case counts with a weight halving every `halfLifeDays`: departments' duties drift, and what
/// they handled last month says more than what they handled three years ago.
///
/// The model is a value: trained at one instant (`train`), saved, and asked (`suggest`). Matter ×
/// area routing rules set by administrators stay outside it and win where they exist.
public struct DispatchModel: Sendable, Codable, Equatable {
    public struct Settings: Sendable, Codable, Equatable {
        /// An example filed this many days before training weighs half as much as a new one.
        public var halfLifeDays: Double
        /// A context speaks once the weights of its cases reach this (half a case a year old).
        public var minimumWeight: Double
        public init(halfLifeDays: Double = 365, minimumWeight: Double = 0.5) {
            self.halfLifeDays = halfLifeDays
            self.minimumWeight = minimumWeight
        }
    }

    /// Which context a suggestion came from, broadest last.
    public enum Level: String, Sendable, Codable, CaseIterable {
        case matterFields = "matter_fields"
        case matterFieldsArea = "matter_fields_area"
        case matterFieldPrefix = "matter_field_prefix"
        case matterSource = "matter_source"
        case matter
        case categoryArea = "category_area"
        case category
        case text
    }

    /// A department proposed for a case, with how sure the model is and why.
    public struct Suggestion: Sendable, Codable, Equatable {
        public var departmentId: String
        /// The department's weighted share of its context, shrunk towards 0 where few cases stand
        /// behind it: weight / (context weight + ½). Auto-dispatch compares this with its threshold.
        public var confidence: Double
        public var level: Level
        /// The context's key parts (matter, field values, area or channel) for the reason shown.
        public var context: [String]
        /// Cases in the context, and of those the ones this department handled.
        public var cases: Int
        public var agreeing: Int
    }

    struct Tally: Sendable, Codable, Equatable {
        var weight = 0.0
        var count = 0
    }

    /// The confidence auto-dispatch needs unless administrators set another. Chosen on the SF311
    /// sample, where a third of the newer requests reach it and 96 % of those are routed right
    /// (at 0.85: 47 % and 94.9 %; BENCHMARKS.md).
    public static let defaultThreshold = 0.9

    public let settings: Settings
    public let trainedAt: Int64
    public private(set) var examples = 0
    private var tables: [String: [String: Tally]] = [:]
    private var words = TextClassifier()
    /// The matter of a free-text report (a citizen's, a 12345 caller's), learned with this version.
    public var matters = MatterSuggester()

    public init(settings: Settings = Settings(), trainedAt: Int64) {
        self.settings = settings
        self.trainedAt = trainedAt
    }

    private enum CodingKeys: String, CodingKey { case settings, trainedAt, examples, tables, words, matters }

    /// Versions saved before matters were learned read with an empty suggester.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        settings = try c.decode(Settings.self, forKey: .settings)
        trainedAt = try c.decode(Int64.self, forKey: .trainedAt)
        examples = try c.decode(Int.self, forKey: .examples)
        tables = try c.decode([String: [String: Tally]].self, forKey: .tables)
        words = try c.decode(TextClassifier.self, forKey: .words)
        matters = try c.decodeIfPresent(MatterSuggester.self, forKey: .matters) ?? MatterSuggester()
    }

    public static func train(_ examples: [DispatchExample], at now: Int64, settings: Settings = Settings())
        -> DispatchModel
    {
        var model = DispatchModel(settings: settings, trainedAt: now)
        for example in examples { model.learn(example) }
        return model
    }

    /// Adds one example, weighted by its age at `trainedAt`.
    public mutating func learn(_ example: DispatchExample) {
        let days = Double(max(0, trainedAt - example.at)) / 86_400_000
        let weight = pow(0.5, days / settings.halfLifeDays)
        for (level, parts) in Self.contexts(example.facts) {
            var tally = tables[Self.key(level, parts), default: [:]]
            tally[example.departmentId, default: Tally()].weight += weight
            tally[example.departmentId, default: Tally()].count += 1
            tables[Self.key(level, parts)] = tally
        }
        if !example.facts.text.isEmpty { words.learn(example.facts.text, label: example.departmentId, weight: weight) }
        examples += 1
    }

    /// Up to `limit` departments, best first: those of the first context that speaks, then the
    /// next contexts' for the places left.
    public func suggest(_ facts: DispatchFacts, limit: Int = 3) -> [Suggestion] {
        var suggestions: [Suggestion] = []
        for (level, parts) in Self.contexts(facts) where suggestions.count < limit {
            guard let tally = tables[Self.key(level, parts)] else { continue }
            let total = tally.values.reduce(0) { $0 + $1.weight }
            guard total >= settings.minimumWeight else { continue }
            let cases = tally.values.reduce(0) { $0 + $1.count }
            let ranked = tally.sorted { ($0.value.weight, $1.key) > ($1.value.weight, $0.key) }
            for (department, entry) in ranked
            where suggestions.count < limit && !suggestions.contains(where: { $0.departmentId == department }) {
                suggestions.append(
                    Suggestion(
                        departmentId: department, confidence: entry.weight / (total + 0.5), level: level,
                        context: parts, cases: cases, agreeing: entry.count))
            }
        }
        if suggestions.count < limit {
            for guess in words.classify(facts.text, limit: limit)
            where suggestions.count < limit && !suggestions.contains(where: { $0.departmentId == guess.label }) {
                suggestions.append(
                    Suggestion(
                        departmentId: guess.label, confidence: guess.probability, level: .text, context: [],
                        cases: 0, agreeing: 0))
            }
        }
        return suggestions
    }

    /// The contexts a case is counted in, most specific first. With fields f₁…fₙ and finest area
    /// a: (m, f₁…fₙ), (m, f₁…fₙ₋₁, a), (m, f₁…fₙ₋₁) … (m, f₁), (m, channel), (m), then the
    /// matter's major category c: (c, a), (c).
    public static func contexts(_ facts: DispatchFacts) -> [(level: Level, parts: [String])] {
        let m = facts.matterId
        let fields = facts.fields
        var contexts: [(level: Level, parts: [String])] = []
        if !fields.isEmpty { contexts.append((.matterFields, [m] + fields)) }
        if let area = facts.areaIds.last { contexts.append((.matterFieldsArea, [m] + fields.dropLast() + [area])) }
        if fields.count > 1 {
            for count in stride(from: fields.count - 1, through: 1, by: -1) {
                contexts.append((.matterFieldPrefix, [m] + fields.prefix(count)))
            }
        }
        if !facts.source.isEmpty { contexts.append((.matterSource, [m, facts.source])) }
        contexts.append((.matter, [m]))
        if !facts.category.isEmpty {
            if let area = facts.areaIds.last { contexts.append((.categoryArea, [facts.category, area])) }
            contexts.append((.category, [facts.category]))
        }
        return contexts
    }

    private static func key(_ level: Level, _ parts: [String]) -> String {
        ([level.rawValue] + parts).joined(separator: "\u{1F}")
    }
}
