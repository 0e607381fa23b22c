import ChengyunCore
import Foundation
import SQLKit

/// Grid cells, stored with their bounding box and filed in `grid_cell_buckets`, a spatial index
/// that works the same on SQLite and PostgreSQL.
public struct GridCellRepository: Sendable {
    public let buckets: SpatialBuckets
    public init(buckets: SpatialBuckets = SpatialBuckets()) { self.buckets = buckets }

    struct Row: Codable {
        var id: String
        var code: String
        var name: String
        var areaId: String
        var areaPath: String
        var geometry: String
        var areaSquareMetres: Double
        var minLon: Double
        var minLat: Double
        var maxLon: Double
        var maxLat: Double
        var createdAt: Int64
        var updatedAt: Int64

        init(_ cell: GridCell) throws {
            let box = cell.geometry.boundingBox
            id = cell.id
            code = cell.code
            name = cell.name
            areaId = cell.areaId
            areaPath = cell.areaPath
            geometry = String(decoding: try JSONEncoder().encode(cell.geometry), as: UTF8.self)
            areaSquareMetres = cell.areaSquareMetres
            minLon = box.minLon
            minLat = box.minLat
            maxLon = box.maxLon
            maxLat = box.maxLat
            createdAt = cell.createdAt
            updatedAt = cell.updatedAt
        }

        func cell() throws -> GridCell {
            let polygon = try JSONDecoder().decode(GeoPolygon.self, from: Data(geometry.utf8))
            return GridCell(
                id: id, code: code, name: name, areaId: areaId, areaPath: areaPath, geometry: polygon,
                createdAt: createdAt, updatedAt: updatedAt)
        }
    }

    public func insert(_ cell: GridCell, on db: any SQLDatabase) async throws {
        try await db.insert(into: "grid_cells").model(try Row(cell), with: rowEncoder).run()
        try await file(cell, on: db)
    }

    public func update(_ cell: GridCell, on db: any SQLDatabase) async throws {
        let row = try Row(cell)
        try await db.update("grid_cells").set("name", to: row.name).set("geometry", to: row.geometry)
            .set("area_square_metres", to: row.areaSquareMetres)
            .set("min_lon", to: row.minLon).set("min_lat", to: row.minLat)
            .set("max_lon", to: row.maxLon).set("max_lat", to: row.maxLat)
            .set("updated_at", to: row.updatedAt)
            .where("id", .equal, cell.id).run()
        try await db.delete(from: "grid_cell_buckets").where("cell_id", .equal, cell.id).run()
        try await file(cell, on: db)
    }

    public func delete(id: String, on db: any SQLDatabase) async throws {
        try await db.delete(from: "grid_cell_buckets").where("cell_id", .equal, id).run()
        try await db.delete(from: "grid_cells").where("id", .equal, id).run()
    }

    private func file(_ cell: GridCell, on db: any SQLDatabase) async throws {
        let keys = buckets.keys(covering: cell.geometry.boundingBox)
        var insert = db.insert(into: "grid_cell_buckets").columns("bucket_x", "bucket_y", "cell_id")
        for key in keys { insert = insert.values(SQLBind(key.x), SQLBind(key.y), SQLBind(cell.id)) }
        try await insert.run()
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> GridCell? {
        try await db.select().column("*").from("grid_cells").where("id", .equal, id)
            .first(decoding: Row.self, with: rowDecoder)?.cell()
    }

    public func find(code: String, on db: any SQLDatabase) async throws -> GridCell? {
        try await db.select().column("*").from("grid_cells").where("code", .equal, code)
            .first(decoding: Row.self, with: rowDecoder)?.cell()
    }

    public func list(scopePath: String?, areaId: String?, page: PageRequest, on db: any SQLDatabase) async throws
        -> Page<GridCell>
    {
        var query = db.select().column("*").from("grid_cells").inScope(scopePath)
        if let areaId { query = query.where("area_id", .equal, areaId) }
        let rows = try await page.apply(to: query).all(decoding: Row.self, with: rowDecoder)
        return page.page(try rows.map { try $0.cell() }) { $0.id }
    }

    /// The grid cell holding `point`: reads the point's bucket, narrows by bounding box in SQL,
    /// then tests the few remaining polygons exactly.
    public func locate(_ point: GeoPoint, on db: any SQLDatabase) async throws -> GridCell? {
        let key = buckets.key(of: point)
        let rows = try await db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("c")))
            .from(SQLAlias(SQLIdentifier("grid_cell_buckets"), as: SQLIdentifier("b")))
            .join(
                SQLAlias(SQLIdentifier("grid_cells"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                on: SQLColumn("cell_id", table: "b"), .equal, SQLColumn("id", table: "c")
            )
            .where(SQLColumn("bucket_x", table: "b"), .equal, SQLBind(key.x))
            .where(SQLColumn("bucket_y", table: "b"), .equal, SQLBind(key.y))
            .where(SQLColumn("min_lon", table: "c"), .lessThanOrEqual, SQLBind(point.lon))
            .where(SQLColumn("max_lon", table: "c"), .greaterThanOrEqual, SQLBind(point.lon))
            .where(SQLColumn("min_lat", table: "c"), .lessThanOrEqual, SQLBind(point.lat))
            .where(SQLColumn("max_lat", table: "c"), .greaterThanOrEqual, SQLBind(point.lat))
            .orderBy(SQLColumn("id", table: "c"))
            .all(decoding: Row.self, with: rowDecoder)
        return try rows.lazy.map { try $0.cell() }.first { $0.geometry.contains(point) }
    }
}
