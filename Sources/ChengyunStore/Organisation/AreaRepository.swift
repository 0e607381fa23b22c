import ChengyunCore
import SQLKit

/// Administrative areas.
public struct AreaRepository: Sendable {
    public init() {}

    public func insert(_ area: Area, on db: any SQLDatabase) async throws {
        try await db.insert(into: "areas").model(area, with: rowEncoder).run()
    }

    public func update(_ area: Area, on db: any SQLDatabase) async throws {
        try await db.update("areas").set("name", to: area.name).set("updated_at", to: area.updatedAt)
            .where("id", .equal, area.id).run()
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> Area? {
        try await db.select().column("*").from("areas").where("id", .equal, id).first(
            decoding: Area.self, with: rowDecoder)
    }

    /// The areas with these ids, in one query (in no particular order).
    public func find(ids: [String], on db: any SQLDatabase) async throws -> [Area] {
        guard !ids.isEmpty else { return [] }
        return try await db.select().column("*").from("areas").where("id", .in, ids)
            .all(decoding: Area.self, with: rowDecoder)
    }

    public func find(code: String, on db: any SQLDatabase) async throws -> Area? {
        try await db.select().column("*").from("areas").where("code", .equal, code)
            .first(decoding: Area.self, with: rowDecoder)
    }

    public struct Filter: Sendable {
        public var scopePath: String?
        public var level: AreaLevel?
        public var parentId: String?
        public init(scopePath: String?, level: AreaLevel? = nil, parentId: String? = nil) {
            self.scopePath = scopePath
            self.level = level
            self.parentId = parentId
        }
    }

    public func list(_ filter: Filter, page: PageRequest, on db: any SQLDatabase) async throws -> Page<Area> {
        var query = db.select().column("*").from("areas").inScope(filter.scopePath, column: "path")
        if let level = filter.level { query = query.where("level", .equal, level.rawValue) }
        if let parentId = filter.parentId { query = query.where("parent_id", .equal, parentId) }
        let rows = try await page.apply(to: query).all(decoding: Area.self, with: rowDecoder)
        return page.page(rows) { $0.id }
    }

    public func count(on db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("areas").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }
}
