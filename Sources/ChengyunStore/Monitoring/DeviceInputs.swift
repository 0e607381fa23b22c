import ChengyunCore

extension DeviceKind: StrictInput {
    public enum Fields: String, CodingKey, CaseIterable { case code, name, nameEn, metrics, tracksPosition, builtIn }
    /// Codes and keys are lower-case identifiers; every metric named once, with a unit.
    func validate() throws {
        var validator = Validator()
        validator.check(Self.isIdentifier(code), "code", "invalid_code", "Lower-case letters, digits and _ (e.g. manhole_cover).")
        validator.checkName(name, field: "name", max: 100)
        validator.checkName(nameEn, field: "nameEn", max: 100)
        validator.check(!metrics.isEmpty, "metrics", "required", "A kind measures at least one thing.")
        for (index, metric) in metrics.enumerated() {
            validator.check(Self.isIdentifier(metric.key), "metrics[\(index)].key", "invalid_code", "Lower-case letters, digits and _.")
            validator.checkName(metric.name, field: "metrics[\(index)].name", max: 100)
            validator.check(metric.unit.count <= 20, "metrics[\(index)].unit", "too_long", "At most 20 characters (empty for flags and counts).")
        }
        let keys = metrics.map(\.key)
        validator.check(Set(keys).count == keys.count, "metrics", "duplicate", "Each metric key once.")
        try validator.finish()
    }

    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40 && text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
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

    public enum CodingKeys: String, CodingKey, CaseIterable { case code, kindCode, name, componentCode, lon, lat, departmentId }
    public typealias Fields = CodingKeys

    public init(code: String, kindCode: String, name: String, componentCode: String? = nil, lon: Double, lat: Double,
                departmentId: String? = nil) {
        (self.code, self.kindCode, self.name, self.componentCode) = (code, kindCode, name, componentCode)
        (self.lon, self.lat, self.departmentId) = (lon, lat, departmentId)
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
        public var code: String
        public var message: String
        public var issues: [FieldIssue]?
    }
}
