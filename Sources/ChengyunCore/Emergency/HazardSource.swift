/// A hazard source (危险源): a gas station, a chemical plant, a flood-prone underpass… registered
/// with its risk category, position (and so its grid cell), inherent level (重大 red to 低 blue) and
/// the department responsible for it. Hazard sources are the standing facts of the risk map.
public struct HazardSource: Codable, Equatable, Sendable {
    public var id: String
    public var code: String
    public var name: String
    public var category: String
    public var position: GeoPoint
    public var gridCellId: String
    public var areaPath: String
    public var inherentLevel: AlarmSeverity
    public var departmentId: String?
    /// The area it spreads over, when it is more than a point: it lies in every cell this overlaps.
    public var area: GeoPolygon?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, code: String, name: String, category: String, position: GeoPoint, gridCellId: String,
        areaPath: String, inherentLevel: AlarmSeverity, departmentId: String?, area: GeoPolygon? = nil,
        createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.category = category
        self.position = position
        self.gridCellId = gridCellId
        self.areaPath = areaPath
        self.inherentLevel = inherentLevel
        self.departmentId = departmentId
        self.area = area
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A cell's level changing for a category: the risk map's history.
public struct RiskChange: Codable, Equatable, Sendable {
    public var gridCellId: String
    public var category: String
    public var from: AlarmSeverity
    public var to: AlarmSeverity
    public var at: Int64

    public init(gridCellId: String, category: String, from: AlarmSeverity, to: AlarmSeverity, at: Int64) {
        self.gridCellId = gridCellId
        self.category = category
        self.from = from
        self.to = to
        self.at = at
    }
}
