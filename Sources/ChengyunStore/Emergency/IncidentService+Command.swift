import ChengyunCore
import Foundation
import SQLKit

/// POST /emergency/incidents/{id}/command: escalate the command up (上报) or hand it down (下放)
/// to another centre covering the scene, with the reason.
public struct CommandChangeInput: StrictInput {
    public var areaId: String
    public var reason: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case areaId, reason }
    public typealias Fields = CodingKeys

    public init(areaId: String, reason: String) {
        self.areaId = areaId
        self.reason = reason
    }
}

/// Three levels of command (市/区县/镇街): the level names the centre that leads, and the command
/// can be escalated up or handed down the chain of areas covering the scene. Every centre sees the
/// incidents in its area (lists are by area path).
extension IncidentService {
    public func moveCommand(_ input: CommandChangeInput, on id: String, by actor: Principal) async throws -> Incident {
        try await change(id, "incident.command", by: actor) { incident, db, now in
            let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...500).contains(reason.count) else {
                throw DomainError.validation([FieldIssue(field: "reason", code: "required", message: "Say why.")])
            }
            guard incident.status != .closed else { throw Self.closed() }
            let chain = try await Self.chain(of: incident, on: db)
            guard let area = chain.first(where: { $0.id == input.areaId }) else {
                throw DomainError.validation([
                    FieldIssue(
                        field: "areaId", code: "not_covering",
                        message:
                            "Only a centre whose area covers the scene (\(chain.map(\.name).joined(separator: " > ")))."
                    )
                ])
            }
            guard area.id != incident.commandAreaId else {
                throw DomainError(.conflict, code: "same_command", "\(area.name) leads already.")
            }
            let upward =
                chain.firstIndex { $0.id == area.id }!
                < (chain.firstIndex { $0.id == incident.commandAreaId } ?? chain.count)
            incident.commandAreaId = area.id
            incident.commandAreaName = area.name
            return [
                entry(
                    incident, .decision, IncidentWording.commandMoved(upward: upward, to: area.name, reason: reason),
                    by: actor, at: now)
            ]
        }.incident
    }

    /// Moves the command to the centre the incident's level names, when it is not there already;
    /// the log line saying so, or none.
    func commandByLevel(_ incident: inout Incident, by actor: Principal, at now: Int64, on db: any SQLDatabase)
        async throws -> [IncidentLogEntry]
    {
        guard let level = incident.level, let area = level.leadingArea(in: try await Self.chain(of: incident, on: db)),
            area.id != incident.commandAreaId
        else { return [] }
        incident.commandAreaId = area.id
        incident.commandAreaName = area.name
        return [entry(incident, .decision, IncidentWording.commandByLevel(level, area: area.name), by: actor, at: now)]
    }

    /// The areas from the root down to the incident's own.
    static func chain(of incident: Incident, on db: any SQLDatabase) async throws -> [Area] {
        let ids = incident.areaPath.split(separator: "/").map(String.init)
        let found = Dictionary(
            try await AreaRepository().find(ids: ids, on: db).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { found[$0] }
    }
}
