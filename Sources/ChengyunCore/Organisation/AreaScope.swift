/// The subtree of areas a person or key may see and act on. Everything the platform stores that
/// belongs somewhere carries its area's path; a record is in scope when its path starts with the
/// scope's path.
public struct AreaScope: Codable, Equatable, Sendable {
    public var areaId: String
    public var path: String

    public init(areaId: String, path: String) {
        self.areaId = areaId
        self.path = path
    }

    public func contains(path other: String) -> Bool { other.hasPrefix(path) }
    public func contains(_ area: Area) -> Bool { contains(path: area.path) }
}
