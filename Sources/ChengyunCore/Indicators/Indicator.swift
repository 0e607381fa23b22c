/// One city vital sign (城市体征) in the three-level tree, e.g. "city management → cleanliness →
/// exposed-garbage cases per 10 km²": what it measures, how often, which way is good, the
/// four-colour thresholds, and where its value comes from.
public struct Indicator: Codable, Equatable, Sendable {
    public enum Period: String, Codable, CaseIterable, Sendable { case hour, day, week, month }
    public enum Direction: String, Codable, CaseIterable, Sendable { case higherIsBetter, higherIsWorse }

    /// Where the value comes from. Case statistics, telemetry aggregates and imported values are
    /// fetched by the store; a formula is worked out over the other indicators of the tree.
    public enum Source: Codable, Equatable, Sendable {
        case formula(String)
        /// A case statistic (`reported`, `closed`, `onTimeClosingRate`…) over matters by code prefix.
        case cases(measure: String, matterPrefix: String?)
        /// A reading aggregate (`avg`, `max`…) of one metric of one device kind.
        case telemetry(kind: String, metric: String, aggregate: String)
        /// Values put in from a file or through the API (population, area…).
        case imported
    }

    /// Stable code, dotted by level: `city`, `city.clean`, `city.clean.garbage_density`.
    public var code: String
    public var name: String
    public var parentCode: String?
    public var unit: String
    public var period: Period
    public var direction: Direction
    /// The value at which each colour starts (in the bad direction); a colour may be left out.
    public var thresholds: [AlarmSeverity: Double]
    public var source: Source

    public init(code: String, name: String, parentCode: String? = nil, unit: String = "", period: Period = .day,
                direction: Direction = .higherIsWorse, thresholds: [AlarmSeverity: Double] = [:], source: Source) {
        (self.code, self.name, self.parentCode, self.unit, self.period) = (code, name, parentCode, unit, period)
        (self.direction, self.thresholds, self.source) = (direction, thresholds, source)
    }

    /// The most severe colour whose threshold the value has reached; nil while inside all of them.
    public func colour(of value: Double?) -> AlarmSeverity? {
        guard let value else { return nil }
        return AlarmSeverity.allCases.sorted(by: >).first { severity in
            guard let limit = thresholds[severity] else { return false }
            return direction == .higherIsWorse ? value >= limit : value <= limit
        }
    }
}

/// Thresholds are written as `{"yellow": 10, "red": 20}` in JSON.
extension AlarmSeverity: CodingKeyRepresentable {}
