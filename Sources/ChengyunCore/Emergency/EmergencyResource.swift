/// What an emergency resource is.
public enum ResourceKind: String, Codable, CaseIterable, Sendable {
    /// A fire engine, pump truck, ambulance, crane…
    case vehicle
    /// A rescue or repair team (救援队伍).
    case team
    case equipment
    /// A shelter (避难场所).
    case shelter
    /// A depot of materials (物资储备库).
    case depot
}

/// A resource in the registry (应急资源): where it is based, where it is, what it can do, and
/// where it stands in a response.
public struct EmergencyResource: Codable, Equatable, Sendable {
    public var id: String
    public var code: String
    public var name: String
    public var kind: ResourceKind
    /// What it can be dispatched for: `fire`, `rescue`, `drainage`, `gas`, `medical`…
    public var capabilities: [String]
    public var home: GeoPoint
    /// Its last known position: its home until it reports otherwise.
    public var position: GeoPoint
    public var status: ResourceStatus
    public var areaId: String
    public var areaPath: String
    public var departmentId: String?
    /// The team it goes out with (a team's vehicle or equipment), whose steps it follows.
    public var teamId: String?
    /// The vehicle terminal (a device whose kind tracks position) whose positions are its own.
    public var trackerDeviceId: String?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, code: String, name: String, kind: ResourceKind, capabilities: [String], home: GeoPoint,
        position: GeoPoint, status: ResourceStatus, areaId: String, areaPath: String, departmentId: String?,
        teamId: String? = nil, trackerDeviceId: String? = nil, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.capabilities = capabilities
        self.home = home
        self.position = position
        self.status = status
        self.areaId = areaId
        self.areaPath = areaPath
        self.departmentId = departmentId
        self.teamId = teamId
        self.trackerDeviceId = trackerDeviceId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The resource as the nearest-dispatch search sees it.
    public var candidate: DispatchCandidate {
        DispatchCandidate(id: id, position: position, status: status, capabilities: Set(capabilities))
    }
}
