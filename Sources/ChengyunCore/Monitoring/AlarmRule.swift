/// An alarm rule (告警规则): a condition on the devices of one kind, narrowed to one device or one
/// area when asked, with a severity, and optionally a matter to open a case of when it fires.
public struct AlarmRule: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var kindCode: String
    /// Only this device, when set.
    public var deviceId: String?
    /// Only devices in this area (its path and below), when set.
    public var areaPath: String?
    public var condition: RuleCondition
    /// The severity of alarms the condition does not grade itself (thresholds grade by level).
    public var severity: AlarmSeverity
    /// Open a case of this matter (through the machine channel) when the rule raises an alarm.
    public var matterCode: String?
    /// Values for the matter's custom fields on the case (e.g. `cover_state: displaced`).
    public var caseFields: [String: String]?
    public var enabled: Bool
    /// One of the rules shipped with its device kind (editable, not removable).
    public var builtIn: Bool
    public var updatedAt: Int64

    public init(
        id: String, name: String, kindCode: String, deviceId: String? = nil, areaPath: String? = nil,
        condition: RuleCondition, severity: AlarmSeverity, matterCode: String? = nil,
        caseFields: [String: String]? = nil,
        enabled: Bool = true, builtIn: Bool = false, updatedAt: Int64 = 0
    ) {
        self.caseFields = caseFields
        self.id = id
        self.name = name
        self.kindCode = kindCode
        self.deviceId = deviceId
        self.areaPath = areaPath
        (self.condition, self.severity, self.matterCode, self.enabled, self.builtIn, self.updatedAt) =
            (condition, severity, matterCode, enabled, builtIn, updatedAt)
    }

    /// Whether the rule watches this device.
    public func applies(toDeviceId id: String, kindCode kind: String, areaPath path: String) -> Bool {
        enabled && kind == kindCode && (deviceId == nil || deviceId == id)
            && (areaPath.map { path.hasPrefix($0) } ?? true)
    }
}

/// A rule shipped with a device kind: installed as an `AlarmRule` with id `<kind>.<key>`.
public struct RuleTemplate: Codable, Equatable, Sendable {
    public var key: String
    public var name: String
    public var condition: RuleCondition
    public var severity: AlarmSeverity

    public init(key: String, name: String, condition: RuleCondition, severity: AlarmSeverity) {
        self.key = key
        self.name = name
        self.condition = condition
        self.severity = severity
    }

    public func rule(kind: String, at now: Int64) -> AlarmRule {
        AlarmRule(
            id: "\(kind).\(key)", name: name, kindCode: kind, condition: condition, severity: severity, builtIn: true,
            updatedAt: now)
    }
}
