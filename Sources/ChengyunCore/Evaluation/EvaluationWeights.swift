/// The weights of each combined score (docs/domain.md §6 defaults). Configurable.
public struct EvaluationWeights: Codable, Equatable, Sendable {
    /// inspector: valid reports, missed-report score, on-time verification, on-time checking.
    public var inspector = [40.0, 20, 20, 20]
    /// intake operator: accepted-count score, on-time verification dispatch, on-time check dispatch.
    public var intake = [25.0, 40, 35]
    /// shift supervisor: on-time filing, accurate filing, on-time closing.
    public var supervisor = [25.0, 40, 35]
    /// dispatcher: dispatched-count score, on-time dispatch, accurate dispatch.
    public var dispatcher = [20.0, 40, 40]
    /// department: volume score, closing rate, on-time handling, 100 − rework rate.
    public var department = [10.0, 30, 30, 30]
    /// area: supervision-report rate, closing rate, on-time closing rate, filed-count score.
    public var area = [20.0, 30, 30, 20]
    /// How counts become count and volume scores: nil scores each relative to the busiest peer
    /// of the period; bands give fixed scores from a count upward (a city's published scale).
    public var volumeBands: [VolumeBand]?

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case inspector, intake, supervisor, dispatcher, department, area, volumeBands
    }

    /// Each role's weights: as many as it has figures, none negative, adding up to 100; bands
    /// with distinct minimums ≥ 0 and scores 0…100.
    public func validate() throws {
        var validator = Validator()
        let groups: [(String, [Double], Int)] = [
            ("inspector", inspector, 4), ("intake", intake, 3), ("supervisor", supervisor, 3),
            ("dispatcher", dispatcher, 3), ("department", department, 4), ("area", area, 4),
        ]
        for (field, weights, count) in groups {
            validator.check(weights.count == count, field, "invalid_value", "\(field) has \(count) weights.")
            validator.check(
                weights.allSatisfy { $0 >= 0 && $0.isFinite }, field, "invalid_value", "Weights are not negative.")
            validator.check(
                abs(weights.reduce(0, +) - 100) < 0.001, field, "invalid_value", "\(field)'s weights add up to 100.")
        }
        for (index, band) in (volumeBands ?? []).enumerated() {
            validator.check(
                band.minimum >= 0, "volumeBands[\(index)].minimum", "invalid_value", "A count of 0 or more.")
            validator.check(
                (0...100).contains(band.score), "volumeBands[\(index)].score", "invalid_value", "A score of 0 to 100.")
        }
        let minimums = (volumeBands ?? []).map(\.minimum)
        validator.check(
            Set(minimums).count == minimums.count, "volumeBands", "duplicate", "Each band starts at a different count.")
        try validator.finish()
    }

    /// Count and volume scores of a group of peers.
    public func volumeScores(_ counts: [String: Int]) -> [String: Double] {
        guard let bands = volumeBands?.sorted(by: { $0.minimum > $1.minimum }), !bands.isEmpty else {
            let best = counts.values.max() ?? 0
            return counts.mapValues { best == 0 ? 0 : Double($0) / Double(best) * 100 }
        }
        return counts.mapValues { count in bands.first { count >= $0.minimum }?.score ?? 0 }
    }
}

/// From `minimum` cases upward, a count scores `score`.
public struct VolumeBand: Codable, Equatable, Sendable {
    public var minimum: Int
    public var score: Double
    public init(minimum: Int, score: Double) {
        self.minimum = minimum
        self.score = score
    }
}
