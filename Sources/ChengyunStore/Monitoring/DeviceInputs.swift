import ChengyunCore

extension DeviceKind: StrictInput {
    public enum Fields: String, CodingKey, CaseIterable {
        case code, name, nameEn, metrics, tracksPosition, builtIn, defaultRules
    }
    /// Codes and keys are lower-case identifiers; every metric named once, with a unit.
    func validate() throws {
        var validator = Validator()
        validator.check(
            Self.isIdentifier(code), "code", "invalid_code", "Lower-case letters, digits and _ (e.g. manhole_cover).")
        validator.checkName(name, field: "name", max: 100)
        validator.checkName(nameEn, field: "nameEn", max: 100)
        validator.check(!metrics.isEmpty, "metrics", "required", "A kind measures at least one thing.")
        for (index, metric) in metrics.enumerated() {
            validator.check(
                Self.isIdentifier(metric.key), "metrics[\(index)].key", "invalid_code",
                "Lower-case letters, digits and _.")
            validator.checkName(metric.name, field: "metrics[\(index)].name", max: 100)
            validator.check(
                metric.unit.count <= 20, "metrics[\(index)].unit", "too_long",
                "At most 20 characters (empty for flags and counts).")
        }
        let keys = metrics.map(\.key)
        validator.check(Set(keys).count == keys.count, "metrics", "duplicate", "Each metric key once.")
        for (index, template) in defaultRules.enumerated() {
            validator.check(
                Self.isIdentifier(template.key), "defaultRules[\(index)].key", "invalid_code",
                "Lower-case letters, digits and _.")
            validator.checkName(template.name, field: "defaultRules[\(index)].name", max: 100)
            template.condition.validate(
                field: "defaultRules[\(index)].condition", metrics: Set(keys), tracksPosition: tracksPosition,
                into: &validator)
        }
        let ruleKeys = defaultRules.map(\.key)
        validator.check(Set(ruleKeys).count == ruleKeys.count, "defaultRules", "duplicate", "Each rule key once.")
        try validator.finish()
    }

    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40
            && text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
            && !(text.utf8.first.map { (48...57).contains($0) } ?? true)
    }
}

/// A device to register (one, or a line of the CSV import).
public struct NewDevice: StrictInput {
    public var code: String
    public var kindCode: String
    public var name: String
    public var componentCode: String?
    public var lon: Double
    public var lat: Double
    public var departmentId: String?
    /// The device or gateway key that alone may write its readings.
    public var apiKeyId: String?
    /// For a device outside every grid cell (an upstream gauge, a station beyond the city's
    /// grid): the area it belongs to. Inside the grid the cell decides.
    public var areaId: String?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case code, kindCode, name, componentCode, lon, lat, departmentId, apiKeyId, areaId
    }
    public typealias Fields = CodingKeys

    public init(
        code: String, kindCode: String, name: String, componentCode: String? = nil, lon: Double, lat: Double,
        departmentId: String? = nil, apiKeyId: String? = nil, areaId: String? = nil
    ) {
        self.code = code
        self.kindCode = kindCode
        self.name = name
        self.componentCode = componentCode
        self.lon = lon
        self.lat = lat
        self.departmentId = departmentId
        self.apiKeyId = apiKeyId
        self.areaId = areaId
    }
}

/// What a bulk registration did: how many devices were made, and each refused line with why.
public struct DeviceImportReport: Codable, Sendable {
    public var created: Int
    public var rejected: [RejectedLine]

    public struct RejectedLine: Codable, Sendable, Equatable {
        public var line: Int
        /// The device code the line named, if any.
        public var device: String?
        public var code: ErrorCode
        public var message: String
        public var issues: [FieldIssue]?
    }
}

/// A maintenance window (解防): alarms of the device are recorded as suppressed until `until`.
public struct DisarmInput: StrictInput {
    public var until: Int64
    public var reason: String

    public enum CodingKeys: String, CodingKey, CaseIterable { case until, reason }
    public typealias Fields = CodingKeys

    public init(until: Int64, reason: String) { (self.until, self.reason) = (until, reason) }
}
