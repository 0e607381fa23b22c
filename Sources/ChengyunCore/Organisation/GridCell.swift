/// A unit grid cell (单元网格): the smallest management area, about 10,000 m², with a polygon.
public struct GridCell: Codable, Equatable, Sendable {
    public var id: String
    public var code: String
    public var name: String
    /// The community the cell belongs to.
    public var areaId: String
    public var areaPath: String
    public var geometry: GeoPolygon
    public var areaSquareMetres: Double
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, code: String, name: String, areaId: String, areaPath: String, geometry: GeoPolygon,
        createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.areaId = areaId
        self.areaPath = areaPath
        self.geometry = geometry
        self.areaSquareMetres = geometry.areaSquareMetres
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
