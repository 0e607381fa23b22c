import ChengyunCore
import Foundation
import SQLKit

/// Depots' stock of materials (物资储备): restocked by administrators, issued to incidents and
/// given back (`IncidentService.moveMaterials`), every move kept and audited.
public struct DepotService: Sendable {
    let platform: Platform
    let stock = StockRepository()

    public init(platform: Platform) { self.platform = platform }

    /// A depot's stock in the caller's scope, by material.
    public func stock(of depotId: String, by actor: Principal) async throws -> [StockLine] {
        try await platform.pool.read { db in
            let depot = try await EmergencyService(platform: platform).resource(id: depotId, by: actor, on: db)
            return try await stock.stock(of: depot.id, on: db)
        }
    }

    /// Adds to a depot's stock of a material (a new line the first time).
    public func restock(_ input: RestockInput, depot depotId: String, by actor: Principal) async throws -> StockLine {
        let now = platform.now()
        return try await platform.write(
            actor, "depot.restock", target: "emergency_resource",
            summary: { (l: StockLine) in
                (l.depotId, "\(l.material) +\(input.quantity.plainText) → \(l.quantity.plainText)")
            }
        ) { db in
            var v = Validator()
            v.check(input.material.isLowerCode, "material", "invalid_value", "A material code such as sandbag.")
            v.check((1...10).contains(input.unit.count), "unit", "invalid_value", "1 to 10 characters, e.g. 袋.")
            try v.finish()
            let depot = try await EmergencyService(platform: platform).resource(id: depotId, by: actor, on: db)
            guard depot.kind == .depot else {
                throw DomainError(
                    .conflict, code: "not_a_depot", "\(depot.code) is a \(depot.kind.rawValue), not a depot.")
            }
            return try await move(
                .restock, depot: depot, material: input.material, unit: input.unit, quantity: input.quantity,
                incidentId: nil, by: actor, at: now, on: db)
        }
    }

    /// Moves a depot's stock of a material in the caller's transaction: checked by `StockMove`,
    /// written only from the quantity it was read at, and kept as a move.
    func move(
        _ move: StockMove, depot: EmergencyResource, material: String, unit: String?, quantity: Double,
        incidentId: String?, by actor: Principal, at now: Int64, on db: any SQLDatabase
    ) async throws -> StockLine {
        let current = try await stock.line(depot.id, material, on: db)
        guard current != nil || move == .restock else {
            throw DomainError.validation([
                FieldIssue(field: "material", code: "unknown_material", message: "\(depot.code) holds no \(material).")
            ])
        }
        var outstanding = 0.0
        if move == .giveBack, let incidentId {
            let held = try await stock.materials(of: incidentId, on: db).first {
                $0.depotId == depot.id && $0.material == material
            }
            outstanding = held.map { $0.issued - $0.givenBack } ?? 0
        }
        if let current, let unit, unit != current.unit {
            throw DomainError.validation([
                FieldIssue(
                    field: "unit", code: "unit_mismatch",
                    message: "\(depot.code) counts \(material) in \(current.unit).")
            ])
        }
        var line =
            current ?? StockLine(depotId: depot.id, material: material, unit: unit ?? "", quantity: 0, updatedAt: now)
        line.quantity = try move.apply(quantity, to: line.quantity, outstanding: outstanding)
        line.updatedAt = now
        guard try await stock.save(line, expected: current?.quantity, on: db) else {
            throw DomainError(.conflict, code: .concurrentUpdate, "The stock changed meanwhile; look again.")
        }
        try await stock.record(move, line, quantity: quantity, incidentId: incidentId, actorId: actor.id, on: db)
        return line
    }
}
