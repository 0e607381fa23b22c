/// An alarm (告警): one rule firing on one device. At most one is open per rule × device.
public struct Alarm: Codable, Equatable, Sendable {
    public var id: String
    public var ruleId: String
    public var ruleName: String
    public var deviceId: String
    public var deviceCode: String
    public var kindCode: String
    public var areaPath: String
    public var lon: Double
    public var lat: Double
    public var severity: AlarmSeverity
    public var state: AlarmState
    /// What was seen when it was raised (and at the latest change): `pm25 = 182 µg/m³`.
    public var detail: String
    /// The metric and value that raised it, when one did (no-data alarms have none).
    public var metric: String?
    public var value: Double?
    public var raisedAt: Int64
    public var acknowledgedAt: Int64?
    public var acknowledgedBy: String?
    public var clearedAt: Int64?
    /// `auto` when the condition cleared, else the id of whoever cleared it by hand.
    public var clearedBy: String?
    public var caseId: String?
    /// Why a case the rule asked for could not be opened.
    public var caseError: String?
    public var updatedAt: Int64

    public init(
        id: String, ruleId: String, ruleName: String, deviceId: String, deviceCode: String, kindCode: String,
        areaPath: String, lon: Double, lat: Double, severity: AlarmSeverity, state: AlarmState, detail: String,
        metric: String?, value: Double?, raisedAt: Int64, acknowledgedAt: Int64? = nil, acknowledgedBy: String? = nil,
        clearedAt: Int64? = nil, clearedBy: String? = nil, caseId: String? = nil, caseError: String? = nil,
        updatedAt: Int64
    ) {
        (self.id, self.ruleId, self.ruleName, self.deviceId, self.deviceCode, self.kindCode) =
            (id, ruleId, ruleName, deviceId, deviceCode, kindCode)
        self.areaPath = areaPath
        self.lon = lon
        self.lat = lat
        self.severity = severity
        self.state = state
        self.detail = detail
        (self.metric, self.value, self.raisedAt, self.acknowledgedAt, self.acknowledgedBy) =
            (metric, value, raisedAt, acknowledgedAt, acknowledgedBy)
        (self.clearedAt, self.clearedBy, self.caseId, self.caseError, self.updatedAt) =
            (clearedAt, clearedBy, caseId, caseError, updatedAt)
    }

    public var isOpen: Bool { state.isOpen }
}

/// raised → acknowledged → cleared. `suppressed`: it fired while the device was disarmed for
/// maintenance (解防); recorded, not announced, and cleared like any other.
public enum AlarmState: String, Codable, CaseIterable, Sendable {
    case raised, acknowledged, suppressed, cleared

    public var isOpen: Bool { self != .cleared }
}
