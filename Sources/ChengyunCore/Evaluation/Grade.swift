/// Grades of a combined score (docs/domain.md §6): A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below.
public enum Grade: String, Codable, Sendable, CaseIterable {
    case A, B, C, D, E

    public init(score: Double) {
        self = score >= 90 ? .A : score >= 75 ? .B : score >= 60 ? .C : score >= 40 ? .D : .E
    }
}

/// A rate in percent, 0–100; nil when there is nothing to count (0 of 0 is no rate at all).
public func percent(_ part: Int, of whole: Int) -> Double? {
    whole == 0 ? nil : Double(part) / Double(whole) * 100
}

/// Weighted sum of the figures that exist; the weights of missing figures are shared out over
/// the present ones, so a person with nothing to check is not marked down for it.
public func weightedScore(_ parts: [(value: Double?, weight: Double)]) -> Double? {
    let present = parts.compactMap { part in part.value.map { ($0, part.weight) } }
    let total = present.reduce(0) { $0 + $1.1 }
    guard total > 0 else { return nil }
    return present.reduce(0) { $0 + $1.0 * $1.1 } / total
}
