/// The weights of each combined score (DOMAIN §6 defaults). Configurable.
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
