import ChengyunCore
import SQLKit

/// What an incident holds of a material from a depot.
public struct MaterialLine: Codable, Equatable, Sendable {
    public var depotId: String
    public var depotCode: String
    public var material: String
    public var unit: String
    public var issued: Double
    public var givenBack: Double

    public init(depotId: String, depotCode: String, material: String, unit: String, issued: Double, givenBack: Double) {
        self.depotId = depotId
        self.depotCode = depotCode
        self.material = material
        self.unit = unit
        self.issued = issued
        self.givenBack = givenBack
    }
}

/// Depot stock rows and their moves. A move changes the row only from the quantity it was read
/// at, so two issues racing for the last sandbags cannot both take them.
struct StockRepository: Sendable {
    func stock(of depotId: String, on db: any SQLDatabase) async throws -> [StockLine] {
        try await db.select().column("*").from("depot_stock").where("depot_id", .equal, depotId).orderBy("material")
            .all().map(Self.line)
    }

    func line(_ depotId: String, _ material: String, on db: any SQLDatabase) async throws -> StockLine? {
        try await db.select().column("*").from("depot_stock").where("depot_id", .equal, depotId)
            .where("material", .equal, material).first().map(Self.line)
    }

    /// Writes the line's new quantity if it still holds `expected` (a new line when there was none).
    func save(_ line: StockLine, expected: Double?, on db: any SQLDatabase) async throws -> Bool {
        guard let expected else {
            return try await db.raw(
                """
                INSERT INTO depot_stock (depot_id, material, unit, quantity, updated_at)
                VALUES (\(bind: line.depotId), \(bind: line.material), \(bind: line.unit), \(bind: line.quantity),
                    \(bind: line.updatedAt))
                ON CONFLICT (depot_id, material) DO NOTHING RETURNING depot_id
                """
            ).all().isEmpty == false
        }
        return
            !(try await db.raw(
                """
                UPDATE depot_stock SET quantity = \(bind: line.quantity), unit = \(bind: line.unit),
                    updated_at = \(bind: line.updatedAt)
                WHERE depot_id = \(bind: line.depotId) AND material = \(bind: line.material)
                  AND quantity = \(bind: expected) RETURNING depot_id
                """
            ).all()).isEmpty
    }

    func record(
        _ move: StockMove, _ line: StockLine, quantity: Double, incidentId: String?, actorId: String,
        on db: any SQLDatabase
    ) async throws {
        try await db.insert(into: "stock_moves")
            .columns("id", "depot_id", "material", "move", "quantity", "incident_id", "actor_id", "at")
            .values(
                SQLBind(Identifier.make(at: line.updatedAt)), SQLBind(line.depotId), SQLBind(line.material),
                SQLBind(move.rawValue), SQLBind(quantity), SQLBind(incidentId), SQLBind(actorId),
                SQLBind(line.updatedAt)
            ).run()
    }

    /// What an incident holds, per depot and material: issued and given back.
    func materials(of incidentId: String, on db: any SQLDatabase) async throws -> [MaterialLine] {
        try await db.raw(
            """
            SELECT m.depot_id, r.code, m.material, s.unit,
                SUM(CASE WHEN m.move = 'issue' THEN m.quantity ELSE 0.0 END) AS issued,
                SUM(CASE WHEN m.move = 'giveBack' THEN m.quantity ELSE 0.0 END) AS given_back
            FROM stock_moves m JOIN emergency_resources r ON r.id = m.depot_id
            JOIN depot_stock s ON s.depot_id = m.depot_id AND s.material = m.material
            WHERE m.incident_id = \(bind: incidentId)
            GROUP BY m.depot_id, r.code, m.material, s.unit ORDER BY r.code, m.material
            """
        ).all().map { row in
            MaterialLine(
                depotId: try row.decode(column: "depot_id", as: String.self),
                depotCode: try row.decode(column: "code", as: String.self),
                material: try row.decode(column: "material", as: String.self),
                unit: try row.decode(column: "unit", as: String.self),
                issued: try row.decode(column: "issued", as: Double.self),
                givenBack: try row.decode(column: "given_back", as: Double.self))
        }
    }

    static func line(_ row: any SQLRow) throws -> StockLine {
        StockLine(
            depotId: try row.decode(column: "depot_id", as: String.self),
            material: try row.decode(column: "material", as: String.self),
            unit: try row.decode(column: "unit", as: String.self),
            quantity: try row.decode(column: "quantity", as: Double.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self))
    }
}
