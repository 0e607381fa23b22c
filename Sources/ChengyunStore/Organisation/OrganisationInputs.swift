import ChengyunCore

public struct NewArea: StrictInput {
    public var code: String
    public var name: String
    public var level: AreaLevel
    public var parentId: String?
    public enum CodingKeys: String, CodingKey, CaseIterable { case code, name, level, parentId }
    public typealias Fields = CodingKeys
    public init(code: String, name: String, level: AreaLevel, parentId: String?) {
        self.code = code
        self.name = name
        self.level = level
        self.parentId = parentId
    }
}

public struct AreaChange: StrictInput {
    public var name: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case name }
    public typealias Fields = CodingKeys
    public init(name: String) { self.name = name }
}

public struct NewGridCell: StrictInput {
    /// 14 digits; its first 12 name the community the cell belongs to.
    public var code: String
    public var name: String
    public var geometry: GeoPolygon
    public enum CodingKeys: String, CodingKey, CaseIterable { case code, name, geometry }
    public typealias Fields = CodingKeys
    public init(code: String, name: String, geometry: GeoPolygon) {
        self.code = code
        self.name = name
        self.geometry = geometry
    }
}

public struct GridCellChange: StrictInput {
    public var name: String?
    public var geometry: GeoPolygon?
    public enum CodingKeys: String, CodingKey, CaseIterable { case name, geometry }
    public typealias Fields = CodingKeys
    public init(name: String?, geometry: GeoPolygon?) { (self.name, self.geometry) = (name, geometry) }
}

public struct NewDepartment: StrictInput {
    public var code: String
    public var name: String
    public var kind: DepartmentKind
    public var areaId: String
    public var phone: String?
    public enum CodingKeys: String, CodingKey, CaseIterable { case code, name, kind, areaId, phone }
    public typealias Fields = CodingKeys
    public init(code: String, name: String, kind: DepartmentKind, areaId: String, phone: String?) {
        self.code = code
        self.name = name
        self.kind = kind
        self.areaId = areaId
        self.phone = phone
    }
}

public struct DepartmentChange: StrictInput {
    public var name: String?
    public var kind: DepartmentKind?
    public var phone: String?
    public var active: Bool?
    public enum CodingKeys: String, CodingKey, CaseIterable { case name, kind, phone, active }
    public typealias Fields = CodingKeys
    public init(name: String?, kind: DepartmentKind?, phone: String?, active: Bool?) {
        self.name = name
        self.kind = kind
        self.phone = phone
        self.active = active
    }
}
