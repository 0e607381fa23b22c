/// One city vital sign (城市体征) in the three-level tree, e.g. "city management → cleanliness →
/// exposed-garbage cases per 10 km²": what it measures, how often, which way is good, the
/// four-colour thresholds, and where its value comes from.
public struct Indicator: Codable, Equatable, Sendable {
    public enum Period: String, Codable, CaseIterable, Sendable { case hour, day, week, month }
    public enum Direction: String, Codable, CaseIterable, Sendable { case higherIsBetter, higherIsWorse }

    /// Where the value comes from. Case statistics, telemetry aggregates and imported values are
    /// fetched by the store; a formula is worked out over the other indicators of the tree.
    public enum Source: Equatable, Sendable {
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
    /// When set, an area's warning reaching `level` opens a case of the matter (once per warning).
    public var caseRule: CaseRule?

    /// Opening a case from an indicator's warning: which matter, from which colour up.
    public struct CaseRule: Codable, Equatable, Sendable {
        public var matterCode: String
        public var level: AlarmSeverity
        public init(matterCode: String, level: AlarmSeverity) { (self.matterCode, self.level) = (matterCode, level) }
    }

    public init(
        code: String, name: String, parentCode: String? = nil, unit: String = "", period: Period = .day,
        direction: Direction = .higherIsWorse, thresholds: [AlarmSeverity: Double] = [:], source: Source,
        caseRule: CaseRule? = nil
    ) {
        self.code = code
        self.name = name
        self.parentCode = parentCode
        self.unit = unit
        self.period = period
        self.direction = direction
        self.thresholds = thresholds
        self.source = source
        self.caseRule = caseRule
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

/// A source in JSON: `{"type": "formula", "formula": "…"}`, `{"type": "cases", "measure": "reported",
/// "matterPrefix": "E01"}`, `{"type": "telemetry", "kind": "environment", "metric": "pm25",
/// "aggregate": "avg"}`, `{"type": "imported"}`.
extension Indicator.Source: Codable {
    private enum Keys: String, CodingKey { case type, formula, measure, matterPrefix, kind, metric, aggregate }

    /// Case statistics an indicator may read.
    public static let caseMeasures = [
        "reported", "filed", "closed", "open", "overdue", "onTimeClosingRate", "satisfactionRate",
    ]
    public static let aggregates = ["avg", "min", "max"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "formula": self = .formula(try c.decode(String.self, forKey: .formula))
        case "cases":
            let measure = try c.decode(String.self, forKey: .measure)
            guard Self.caseMeasures.contains(measure) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .measure, in: c, debugDescription: "One of \(Self.caseMeasures.joined(separator: ", ")).")
            }
            self = .cases(measure: measure, matterPrefix: try c.decodeIfPresent(String.self, forKey: .matterPrefix))
        case "telemetry":
            let aggregate = try c.decode(String.self, forKey: .aggregate)
            guard Self.aggregates.contains(aggregate) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .aggregate, in: c, debugDescription: "One of avg, min, max.")
            }
            self = .telemetry(
                kind: try c.decode(String.self, forKey: .kind), metric: try c.decode(String.self, forKey: .metric),
                aggregate: aggregate)
        case "imported": self = .imported
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c, debugDescription: "One of formula, cases, telemetry, imported.")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .formula(let text): try c.encode("formula", forKey: .type); try c.encode(text, forKey: .formula)
        case .cases(let measure, let prefix):
            try c.encode("cases", forKey: .type); try c.encode(measure, forKey: .measure);
            try c.encodeIfPresent(prefix, forKey: .matterPrefix)
        case .telemetry(let kind, let metric, let aggregate):
            try c.encode("telemetry", forKey: .type); try c.encode(kind, forKey: .kind)
            try c.encode(metric, forKey: .metric); try c.encode(aggregate, forKey: .aggregate)
        case .imported: try c.encode("imported", forKey: .type)
        }
    }
}

extension Indicator.Period {
    /// The local period (day, Monday-started week, calendar month, clock hour) an instant falls in,
    /// as [start, end) epoch ms; `offset` is the calendar's UTC offset in ms.
    public func bounds(containing instant: Int64, utcOffsetMillis offset: Int64) -> (start: Int64, end: Int64) {
        let hour: Int64 = 3_600_000, day = 24 * hour
        let local = instant + offset
        let floor = { (value: Int64, unit: Int64) -> Int64 in value - ((value % unit) + unit) % unit }
        switch self {
        case .hour:
            let start = floor(local, hour)
            return (start - offset, start + hour - offset)
        case .day:
            let start = floor(local, day)
            return (start - offset, start + day - offset)
        case .week:
            // 1970-01-01 was a Thursday: Monday-started weeks are offset by 4 days.
            let start = floor(local - 4 * day, 7 * day) + 4 * day
            return (start - offset, start + 7 * day - offset)
        case .month:
            let date = LocalDate(dayNumber: Int(floor(local, day) / day))
            let first = LocalDate(year: date.year, month: date.month, day: 1)
            let next =
                date.month == 12
                ? LocalDate(year: date.year + 1, month: 1, day: 1)
                : LocalDate(year: date.year, month: date.month + 1, day: 1)
            return (Int64(first.dayNumber) * day - offset, Int64(next.dayNumber) * day - offset)
        }
    }

    /// How the forecast methods are set up for this period: its seasonal cycles, 30 days (or a
    /// quarter of weeks, a year of months) of climatology, and one back-test origin a day.
    public var forecastSetup: ForecastSetup {
        switch self {
        case .hour: ForecastSetup(periods: seasonalPeriods, climatologyWindow: 30 * 24, originSpacing: 24)
        case .day: ForecastSetup(periods: seasonalPeriods, climatologyWindow: 30)
        case .week: ForecastSetup(periods: seasonalPeriods, climatologyWindow: 13)
        case .month: ForecastSetup(periods: seasonalPeriods, climatologyWindow: 12)
        }
    }

    /// The seasonal cycles a forecast of this period uses: a day and a week of hours, a week of
    /// days, a year of weeks or months.
    public var seasonalPeriods: [Int] {
        switch self {
        case .hour: [24, 168]
        case .day: [7]
        case .week: [52]
        case .month: [12]
        }
    }
}
