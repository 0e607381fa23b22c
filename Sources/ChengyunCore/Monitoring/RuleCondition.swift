/// What an alarm rule watches for (docs/domain.md §7). Conditions are data: JSON with a `type`.
public indirect enum RuleCondition: Equatable, Sendable {
    /// A value beyond one or more levels (e.g. PM2.5 ≥ 75 / 115 / 150 / 250), held for
    /// `forSeconds`, released only `hysteresis` back inside the level.
    case threshold(Threshold)
    /// The value changing faster than `maxChangePerMinute` between two readings.
    case rate(Rate)
    /// No reading at all for `minutes` (offline).
    case noData(minutes: Int)
    /// The same value, exactly, for `minutes` while readings keep coming.
    case stuck(metric: String, minutes: Int)
    /// A vehicle inside / outside zones, optionally only while stopped, for `minutes`.
    case geofence(Geofence)
    case all([RuleCondition])
    case any([RuleCondition])

    public struct Threshold: Codable, Equatable, Sendable {
        public var metric: String
        public var direction: Direction
        /// In rising severity; their values rise (`above`) or fall (`below`) with it.
        public var levels: [Level]
        public var hysteresis: Double
        public var forSeconds: Int

        public init(
            metric: String, direction: Direction = .above, levels: [Level], hysteresis: Double = 0, forSeconds: Int = 0
        ) {
            self.metric = metric
            self.direction = direction
            self.levels = levels
            self.hysteresis = hysteresis
            self.forSeconds = forSeconds
        }
    }

    public enum Direction: String, Codable, Sendable { case above, below }

    public struct Level: Codable, Equatable, Sendable {
        public var value: Double
        public var severity: AlarmSeverity
        public init(_ value: Double, _ severity: AlarmSeverity) { (self.value, self.severity) = (value, severity) }
    }

    public struct Rate: Codable, Equatable, Sendable {
        public var metric: String
        public var maxChangePerMinute: Double
        public init(metric: String, maxChangePerMinute: Double) {
            self.metric = metric
            self.maxChangePerMinute = maxChangePerMinute
        }
    }

    public struct Geofence: Codable, Equatable, Sendable {
        public enum When: String, Codable, Sendable { case inside, outside }
        public var zones: [GeoPolygon]
        /// `outside`: outside every zone (e.g. approved disposal sites); `inside`: inside any (no-go zones).
        public var alarmWhen: When
        /// Count only while the vehicle stands still (speed ≤ 2 km/h): "unloading outside a site".
        public var stoppedOnly: Bool
        public var minutes: Int
        public init(zones: [GeoPolygon], alarmWhen: When, stoppedOnly: Bool = false, minutes: Int = 0) {
            self.zones = zones
            self.alarmWhen = alarmWhen
            self.stoppedOnly = stoppedOnly
            self.minutes = minutes
        }
    }

    /// Every metric the condition reads.
    public var metrics: Set<String> {
        switch self {
        case .threshold(let t): [t.metric]
        case .rate(let r): [r.metric]
        case .noData: []
        case .stuck(let metric, _): [metric]
        case .geofence(let g): g.stoppedOnly ? ["speed"] : []
        case .all(let children), .any(let children): children.reduce(into: Set<String>()) { $0.formUnion($1.metrics) }
        }
    }

    /// Whether the condition is judged by the clock (no data) rather than by readings alone.
    public var watchesSilence: Bool {
        switch self {
        case .noData: true
        case .all(let children), .any(let children): children.contains { $0.watchesSilence }
        default: false
        }
    }

    /// Checks the condition against the metrics of the kind it is for; every problem is listed.
    public func validate(
        field: String, metrics known: Set<String>, tracksPosition: Bool, into validator: inout Validator
    ) {
        func metric(_ key: String) {
            validator.check(
                known.contains(key), "\(field).metric", "unknown_metric", "The device kind has no metric \(key).")
        }
        switch self {
        case .threshold(let t):
            metric(t.metric)
            validator.check(
                !t.levels.isEmpty && t.levels.count <= 4, "\(field).levels", "invalid_value", "One to four levels.")
            let values = t.levels.map(\.value)
            let ordered = zip(values, values.dropFirst()).allSatisfy { t.direction == .above ? $0 < $1 : $0 > $1 }
            validator.check(
                ordered && values.allSatisfy(\.isFinite), "\(field).levels", "invalid_value",
                "Level values \(t.direction == .above ? "rise" : "fall") with severity.")
            let severities = t.levels.map(\.severity.rank)
            validator.check(
                zip(severities, severities.dropFirst()).allSatisfy { $0 < $1 }, "\(field).levels", "invalid_value",
                "Levels go up in severity: blue, yellow, orange, red.")
            validator.check(
                t.hysteresis >= 0 && t.hysteresis.isFinite, "\(field).hysteresis", "invalid_value", "Zero or more.")
            validator.check(
                (0...86_400).contains(t.forSeconds), "\(field).forSeconds", "invalid_value", "0 to 86,400 seconds.")
        case .rate(let r):
            metric(r.metric)
            validator.check(
                r.maxChangePerMinute > 0 && r.maxChangePerMinute.isFinite, "\(field).maxChangePerMinute",
                "invalid_value",
                "More than zero.")
        case .noData(let minutes):
            validator.check((1...43_200).contains(minutes), "\(field).minutes", "invalid_value", "1 to 43,200 minutes.")
        case .stuck(let key, let minutes):
            metric(key)
            validator.check((1...43_200).contains(minutes), "\(field).minutes", "invalid_value", "1 to 43,200 minutes.")
        case .geofence(let g):
            validator.check(
                tracksPosition, "\(field).type", "invalid_value",
                "Geofences are for kinds whose readings carry a position.")
            validator.check(!g.zones.isEmpty, "\(field).zones", "required", "At least one zone.")
            validator.check((0...1440).contains(g.minutes), "\(field).minutes", "invalid_value", "0 to 1,440 minutes.")
            if g.stoppedOnly { metric("speed") }
        case .all(let children), .any(let children):
            validator.check(
                (2...8).contains(children.count), "\(field).conditions", "invalid_value", "Two to eight conditions.")
            for (index, child) in children.enumerated() {
                child.validate(
                    field: "\(field).conditions[\(index)]", metrics: known, tracksPosition: tracksPosition,
                    into: &validator)
            }
        }
    }
}

extension RuleCondition: Codable {
    private enum Kind: String, Codable { case threshold, rate, noData, stuck, geofence, all, any }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let fields: [Kind: Set<String>] = [
        .threshold: ["metric", "direction", "levels", "hysteresis", "forSeconds"],
        .rate: ["metric", "maxChangePerMinute"],
        .noData: ["minutes"],
        .stuck: ["metric", "minutes"],
        .geofence: ["zones", "alarmWhen", "stoppedOnly", "minutes"],
        .all: ["conditions"], .any: ["conditions"],
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let kind = try container.decode(Kind.self, forKey: Key("type"))
        // Strict like every other input: a misspelt field is an error, not a silent default.
        if let unknown = container.allKeys.first(where: {
            $0.stringValue != "type" && !Self.fields[kind]!.contains($0.stringValue)
        }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown, in: container,
                debugDescription: "A \(kind.rawValue) condition has no field \(unknown.stringValue).")
        }
        func value<T: Decodable>(_ key: String, _ type: T.Type) throws -> T {
            try container.decode(T.self, forKey: Key(key))
        }
        func optional<T: Decodable>(_ key: String, _ type: T.Type) throws -> T? {
            try container.decodeIfPresent(T.self, forKey: Key(key))
        }
        switch kind {
        case .threshold:
            self = .threshold(
                Threshold(
                    metric: try value("metric", String.self),
                    direction: try optional("direction", Direction.self) ?? .above,
                    levels: try value("levels", [Level].self), hysteresis: try optional("hysteresis", Double.self) ?? 0,
                    forSeconds: try optional("forSeconds", Int.self) ?? 0))
        case .rate:
            self = .rate(
                Rate(
                    metric: try value("metric", String.self),
                    maxChangePerMinute: try value("maxChangePerMinute", Double.self)))
        case .noData:
            self = .noData(minutes: try value("minutes", Int.self))
        case .stuck:
            self = .stuck(metric: try value("metric", String.self), minutes: try value("minutes", Int.self))
        case .geofence:
            self = .geofence(
                Geofence(
                    zones: try value("zones", [GeoPolygon].self), alarmWhen: try value("alarmWhen", Geofence.When.self),
                    stoppedOnly: try optional("stoppedOnly", Bool.self) ?? false,
                    minutes: try optional("minutes", Int.self) ?? 0))
        case .all:
            self = .all(try value("conditions", [RuleCondition].self))
        case .any:
            self = .any(try value("conditions", [RuleCondition].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        func put<T: Encodable>(_ key: String, _ value: T) throws { try container.encode(value, forKey: Key(key)) }
        switch self {
        case .threshold(let t):
            try put("type", Kind.threshold)
            try put("metric", t.metric); try put("direction", t.direction); try put("levels", t.levels)
            try put("hysteresis", t.hysteresis); try put("forSeconds", t.forSeconds)
        case .rate(let r):
            try put("type", Kind.rate); try put("metric", r.metric); try put("maxChangePerMinute", r.maxChangePerMinute)
        case .noData(let minutes):
            try put("type", Kind.noData); try put("minutes", minutes)
        case .stuck(let metric, let minutes):
            try put("type", Kind.stuck); try put("metric", metric); try put("minutes", minutes)
        case .geofence(let g):
            try put("type", Kind.geofence); try put("zones", g.zones); try put("alarmWhen", g.alarmWhen)
            try put("stoppedOnly", g.stoppedOnly); try put("minutes", g.minutes)
        case .all(let children):
            try put("type", Kind.all); try put("conditions", children)
        case .any(let children):
            try put("type", Kind.any); try put("conditions", children)
        }
    }
}
