import ChengyunCore
import Foundation
import SQLKit

/// POST /emergency/modes: a leader switches an area to wartime or back, with the reason.
public struct ModeSwitchInput: StrictInput {
    public var areaId: String
    public var mode: OperatingMode
    public var reason: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case areaId, mode, reason }
    public typealias Fields = CodingKeys

    public init(areaId: String, mode: OperatingMode, reason: String) {
        self.areaId = areaId
        self.mode = mode
        self.reason = reason
    }
}

/// Peacetime and wartime per area (平战结合): a leader's audited switch, or an activation at the
/// wartime level (`PlatformSettings.wartimeFromLevel`) in the transaction of the activation. While
/// an area is in wartime, warning subscriptions in it hear every level.
public struct ModeService: Sendable {
    let platform: Platform

    public init(platform: Platform) { self.platform = platform }

    /// The areas in the caller's scope that have been switched, with their mode.
    public func modes(by actor: Principal) async throws -> [AreaMode] {
        try await platform.pool.read { db in
            try await db.select().column("*").from("area_modes").where("area_path", .like, actor.listScope + "%")
                .orderBy("area_path").all(decoding: AreaMode.self, with: rowDecoder)
        }
    }

    public func switchMode(_ input: ModeSwitchInput, by actor: Principal) async throws -> AreaMode {
        let now = platform.now()
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count) else {
            throw DomainError.validation([
                FieldIssue(field: "reason", code: "required", message: "Say why, in at most 500 characters.")
            ])
        }
        return try await platform.write(
            actor, "area_mode.\(input.mode.rawValue)", target: "area",
            summary: { (m: AreaMode) in (m.areaId, "\(m.areaName) → \(m.mode.rawValue): \(m.reason)") }
        ) { db in
            let area = try await platform.organisation.area(id: input.areaId, by: actor, on: db)
            return try await set(area, input.mode, incidentId: nil, reason: reason, by: actor, at: now, on: db)
        }
    }

    /// Writes an area's mode in the caller's transaction.
    func set(
        _ area: Area, _ mode: OperatingMode, incidentId: String?, reason: String, by actor: Principal, at now: Int64,
        on db: any SQLDatabase
    ) async throws -> AreaMode {
        let row = AreaMode(
            areaId: area.id, areaPath: area.path, areaName: area.name, mode: mode, incidentId: incidentId,
            reason: reason, switchedBy: actor.id, switchedAt: now)
        try await db.delete(from: "area_modes").where("area_id", .equal, area.id).run()
        try await db.insert(into: "area_modes").model(row, with: rowEncoder).run()
        return row
    }

    /// Each wartime area's emergency matters: those of the risk categories answering the incident
    /// types of the real incidents active there (a gas leak's: gas pipe bursts, gas manhole covers).
    static func wartimeMatters(on db: any SQLDatabase) async throws -> [String: Set<String>] {
        let paths = try await wartimePaths(on: db)
        guard !paths.isEmpty else { return [:] }
        let active = try await db.select().columns("incident_type", "area_path").from("incidents")
            .where("status", .equal, IncidentStatus.active.rawValue).where("drill", .equal, 0).all()
            .map {
                (
                    try $0.decode(column: "incident_type", as: String.self),
                    try $0.decode(column: "area_path", as: String.self)
                )
            }
        // The shipped categories until the risk map first writes them.
        let stored = try await RiskRepository().categories(on: db)
        let categories =
            stored.isEmpty ? try RiskService.shippedCategories() : stored
        let ids = Dictionary(
            try await MatterRepository().all(on: db).map { ($0.code, $0.id) }, uniquingKeysWith: { a, _ in a })
        var matters: [String: Set<String>] = [:]
        for path in paths {
            let types = Set(active.filter { $0.1.hasPrefix(path) }.map(\.0))
            let codes = categories.filter { $0.incidentType.map(types.contains) ?? false }.flatMap(\.matterCodes)
            let found = Set(codes.compactMap { ids[$0] })
            if !found.isEmpty { matters[path] = found }
        }
        return matters
    }

    /// The paths of the areas in wartime.
    static func wartimePaths(on db: any SQLDatabase) async throws -> [String] {
        try await db.select().column("area_path").from("area_modes")
            .where("mode", .equal, OperatingMode.wartime.rawValue).all()
            .map { try $0.decode(column: "area_path", as: String.self) }
    }
}
