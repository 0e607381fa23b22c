/// What a handling unit does; used for routing and for the demo city's realism.
public enum DepartmentKind: String, Codable, CaseIterable, Sendable {
    case sanitation, municipal, landscaping, enforcement, traffic, water, drainage, gas, power
    case telecom, heating, housing, environment, emergency, transport, other
}

/// A department or handling unit (专业部门 / 处置单位), attached to the area it serves.
public struct Department: Codable, Equatable, Sendable {
    public var id: String
    public var code: String
    public var name: String
    public var kind: DepartmentKind
    public var areaId: String
    public var areaPath: String
    public var phone: String?
    public var active: Bool
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, code: String, name: String, kind: DepartmentKind, areaId: String, areaPath: String,
        phone: String?, active: Bool = true, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.areaId = areaId
        self.areaPath = areaPath
        self.phone = phone
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
