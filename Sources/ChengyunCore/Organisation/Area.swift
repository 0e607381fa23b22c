/// An administrative area: city, district (区/县), street or town (街道/镇), community (社区).
public struct Area: Codable, Equatable, Sendable {
    public var id: String
    public var code: String
    public var name: String
    public var level: AreaLevel
    public var parentId: String?
    /// Materialised path of area ids from the root, each followed by "/": the basis of area scope.
    public var path: String
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, code: String, name: String, level: AreaLevel, parentId: String?, path: String,
        createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.level = level
        self.parentId = parentId
        self.path = path
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The path a child of `parent` (or a root when nil) with this id gets.
    public static func path(for id: String, under parent: Area?) -> String {
        (parent?.path ?? "/") + id + "/"
    }
}
