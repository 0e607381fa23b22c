/// A registered sensing device (运行监测): where it is, what it watches, who owns it.
public struct Device: Codable, Equatable, Sendable {
    public var id: String
    /// The device's own identifier, as its readings name it (unique).
    public var code: String
    public var kindCode: String
    public var name: String
    /// The 部件 the device watches (16-digit component code), when it watches one.
    public var componentCode: String?
    public var lon: Double
    public var lat: Double
    /// The grid cell holding the position (derived), and its area.
    public var gridCellId: String?
    public var areaId: String
    public var areaPath: String
    public var departmentId: String?
    public var state: DeviceState
    public var lastReadingAt: Int64?
    /// The device or gateway key that alone may write its readings; when nil, any telemetry key
    /// whose area holds the device may.
    public var apiKeyId: String?
    /// Disarmed for maintenance (解防) until then: its alarms are recorded as suppressed.
    public var disarmedUntil: Int64?
    public var disarmReason: String?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, code: String, kindCode: String, name: String, componentCode: String?, lon: Double, lat: Double,
        gridCellId: String?, areaId: String, areaPath: String, departmentId: String?, state: DeviceState,
        lastReadingAt: Int64?, apiKeyId: String? = nil, disarmedUntil: Int64? = nil, disarmReason: String? = nil,
        createdAt: Int64, updatedAt: Int64
    ) {
        self.apiKeyId = apiKeyId
        self.disarmedUntil = disarmedUntil
        self.disarmReason = disarmReason
        self.id = id
        self.code = code
        self.kindCode = kindCode
        self.name = name
        self.componentCode = componentCode
        self.lon = lon
        self.lat = lat
        self.gridCellId = gridCellId
        self.areaId = areaId
        self.areaPath = areaPath
        (self.departmentId, self.state, self.lastReadingAt, self.createdAt, self.updatedAt) =
            (departmentId, state, lastReadingAt, createdAt, updatedAt)
    }

    public var position: GeoPoint { GeoPoint(lon: lon, lat: lat) }

    public func isDisarmed(at now: Int64) -> Bool { disarmedUntil.map { now < $0 } ?? false }
}

/// Online until readings stop (offline); maintenance while authorised work is on (解防).
public enum DeviceState: String, Codable, CaseIterable, Sendable {
    case online, offline, maintenance
}
