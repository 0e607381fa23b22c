/// A kind of sensing device (docs/domain.md §7): what it measures. Kinds are data: the platform ships
/// one for every kind in the seeds, administrators add their own.
public struct DeviceKind: Codable, Equatable, Sendable {
    /// Stable code, lower-case letters, digits and underscores (`manhole_cover`).
    public var code: String
    public var name: String
    public var nameEn: String
    public var metrics: [MetricSpec]
    /// Vehicles: readings carry a position (GPS track).
    public var tracksPosition: Bool
    /// Shipped with the platform (not stored, not editable).
    public var builtIn: Bool
    /// The alarm rules every device of the kind gets by default (installed once, then editable).
    public var defaultRules: [RuleTemplate]

    public init(
        code: String, name: String, nameEn: String, metrics: [MetricSpec], tracksPosition: Bool = false,
        builtIn: Bool = false, defaultRules: [RuleTemplate] = []
    ) {
        self.code = code
        self.name = name
        self.nameEn = nameEn
        self.metrics = metrics
        self.tracksPosition = tracksPosition
        self.builtIn = builtIn
        self.defaultRules = defaultRules
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        nameEn = try container.decode(String.self, forKey: .nameEn)
        metrics = try container.decode([MetricSpec].self, forKey: .metrics)
        tracksPosition = try container.decodeIfPresent(Bool.self, forKey: .tracksPosition) ?? false
        builtIn = try container.decodeIfPresent(Bool.self, forKey: .builtIn) ?? false
        defaultRules = try container.decodeIfPresent([RuleTemplate].self, forKey: .defaultRules) ?? []
    }

    enum CodingKeys: String, CodingKey { case code, name, nameEn, metrics, tracksPosition, builtIn, defaultRules }

    public func metric(_ key: String) -> MetricSpec? { metrics.first { $0.key == key } }
}

/// One quantity a kind of device reports: `pm25` in µg/m³, `tilt` in °, `open` as 0/1.
public struct MetricSpec: Codable, Equatable, Sendable {
    public var key: String
    public var name: String
    public var unit: String

    public init(key: String, name: String, unit: String) {
        self.key = key
        self.name = name
        self.unit = unit
    }
}
