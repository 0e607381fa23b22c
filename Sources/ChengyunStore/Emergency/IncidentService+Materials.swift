import ChengyunCore
import SQLKit

/// Materials on an incident (物资调拨): issued from a depot to the response, given back after it,
/// each move logged on the incident in the transaction that moves the stock.
extension IncidentService {
    public func moveMaterials(_ input: MaterialMoveInput, on id: String, by actor: Principal) async throws
        -> StockLine
    {
        let move: StockMove = input.giveBack == true ? .giveBack : .issue
        var moved: StockLine?
        _ = try await change(id, "incident.materials.\(move.rawValue)", by: actor) { incident, db, now in
            // Given back after the close too: the depot gets its stock again.
            guard incident.status == .active || (move == .giveBack && incident.status == .closed) else {
                throw DomainError(.conflict, code: "not_active", "The incident is not active.")
            }
            let depot = try await EmergencyService(platform: platform).resource(id: input.depotId, by: actor, on: db)
            guard depot.kind == .depot else {
                throw DomainError.validation([
                    FieldIssue(field: "depotId", code: "not_a_depot", message: "\(depot.code) is not a depot.")
                ])
            }
            let line = try await platform.depots.move(
                move, depot: depot, material: input.material, unit: nil, quantity: input.quantity,
                incidentId: incident.id, by: actor, at: now, on: db)
            moved = line
            let text = IncidentWording.materials(
                depot: depot, line: line, quantity: input.quantity, givenBack: move == .giveBack)
            return [entry(incident, .resource, text, by: actor, at: now)]
        }
        return moved!
    }

    /// What the incident holds of each material, per depot.
    public func materials(of id: String, by actor: Principal) async throws -> [MaterialLine] {
        try await platform.pool.read { db in
            try await StockRepository().materials(of: try await incident(id, by: actor, on: db).id, on: db)
        }
    }
}
