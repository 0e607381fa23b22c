import ChengyunCore
import SQLKit

/// Places a report sent with an address and no coordinates, where the platform can: an address
/// a case was already reported at (its position), else the grid cell or area the address names
/// (a point inside it; the longest name found wins, so 东园第1网格 beats 东园).
public struct AddressResolver: Sendable {
    public init() {}

    public func locate(_ address: String, on db: any SQLDatabase) async throws -> GeoPoint? {
        let text = address.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if let row = try await db.select().column("lon").column("lat").from("cases")
            .where(
                SQLFunction("lower", args: SQLIdentifier("address")), .equal, SQLFunction("lower", args: SQLBind(text))
            )
            .orderBy("reported_at", .descending).orderBy("id", .descending).limit(1).first()
        {
            return GeoPoint(
                lon: try row.decode(column: "lon", as: Double.self), lat: try row.decode(column: "lat", as: Double.self)
            )
        }
        let cells = try await db.select().column("*").from("grid_cells").orderBy("code")
            .all(decoding: GridCellRepository.Row.self, with: rowDecoder).map { try $0.cell() }
        if let cell = cells.filter({ !$0.name.isEmpty && text.contains($0.name) }).max(by: {
            $0.name.count < $1.name.count
        }) {
            return cell.geometry.interiorPoint
        }
        let areas = try await db.select().column("id").column("name").from("areas").all().map {
            (id: try $0.decode(column: "id", as: String.self), name: try $0.decode(column: "name", as: String.self))
        }
        let named = areas.filter { !$0.name.isEmpty && text.contains($0.name) }.sorted { $0.name.count > $1.name.count }
        for area in named {
            if let cell = cells.first(where: { $0.areaPath.contains("/\(area.id)/") }) {
                return cell.geometry.interiorPoint
            }
        }
        return nil
    }
}
