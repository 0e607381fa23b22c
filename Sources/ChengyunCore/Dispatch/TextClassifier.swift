import Foundation

/// Multinomial naive Bayes over a report's words (`TextTokens`), every example weighted (newer
/// ones more): from the words alone it proposes a label — the matter a citizen's description is
/// about, or the department when nothing finer is known. Laplace smoothing (α = 1).
public struct TextClassifier: Sendable, Codable, Equatable {
    struct Label: Sendable, Codable, Equatable {
        var weight = 0.0
        var tokens: [String: Double] = [:]
        var tokenWeight = 0.0
    }

    private(set) var labels: [String: Label] = [:]
    private(set) var vocabulary: Set<String> = []

    public init() {}

    public var isEmpty: Bool { labels.isEmpty }

    public mutating func learn(_ text: String, label: String, weight: Double = 1) {
        let tokens = TextTokens.of(text)
        var entry = labels[label, default: Label()]
        entry.weight += weight
        for token in tokens {
            entry.tokens[token, default: 0] += weight
            vocabulary.insert(token)
        }
        entry.tokenWeight += weight * Double(tokens.count)
        labels[label] = entry
    }

    /// Labels with their posterior probability, most likely first (ties by label); empty when
    /// nothing was learned or the text has no word the classifier has seen. With `among`, only
    /// those labels compete (the posterior is taken among them, from the log scores, so a long
    /// text pointing elsewhere does not round every one of them to zero).
    public func classify(_ text: String, limit: Int = 3, among allowed: Set<String>? = nil) -> [(
        label: String, probability: Double
    )] {
        let tokens = TextTokens.of(text).filter(vocabulary.contains)
        let competing = allowed.map { allowed in labels.filter { allowed.contains($0.key) } } ?? labels
        guard !tokens.isEmpty, !competing.isEmpty else { return [] }
        let total = labels.values.reduce(0) { $0 + $1.weight }
        let size = Double(vocabulary.count)
        let scores = competing.map { name, label in
            var score = log(label.weight / total)
            for token in tokens { score += log(((label.tokens[token] ?? 0) + 1) / (label.tokenWeight + size)) }
            return (label: name, score: score)
        }
        let top = scores.map(\.score).max() ?? 0
        let sum = scores.reduce(0) { $0 + exp($1.score - top) }
        return scores.map { (label: $0.label, probability: exp($0.score - top) / sum) }
            .sorted { ($0.probability, $1.label) > ($1.probability, $0.label) }
            .prefix(limit).map { $0 }
    }
}
