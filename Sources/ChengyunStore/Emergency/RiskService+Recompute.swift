import ChengyunCore
import Foundation
import SQLKit

extension RiskService {
    /// Judges `cells` (every cell when nil) for `categories` in the caller's transaction: cells
    /// above blue are kept with their facts, a cell back to blue loses its row, every change is
    /// recorded, and a cell turning red raises a warning that leaving red settles.
    func recompute(
        _ categories: [RiskCategory], cells: [String]?, matters known: [String: String]? = nil, at now: Int64,
        on db: any SQLDatabase
    ) async throws -> RiskRecompute {
        var outcome = RiskRecompute(cells: 0, changes: [])
        var events: [MonitoringEvent] = []
        if let cells, cells.isEmpty { return outcome }
        var matters = known ?? [:]
        if known == nil { matters = try await matterIds(on: db) }
        var query = db.select().columns("id", "code", "area_path").from("grid_cells")
        if let cells { query = query.where("id", .in, cells) }
        var paths: [String: (code: String, path: String)] = [:]
        for row in try await query.all() {
            paths[try row.decode(column: "id", as: String.self)] = (
                try row.decode(column: "code", as: String.self), try row.decode(column: "area_path", as: String.self)
            )
        }
        outcome.cells = paths.count
        for category in categories {
            let rule = try category.formula()
            let facts = try await risk.facts(
                category, matterIds: category.matterCodes.compactMap { matters[$0] }, cells: cells, on: db)
            let before = try await risk.levels(category.code, cells: cells, on: db)
            // Every cell judged first, then written a few hundred rows to a statement: a full
            // recompute on PostgreSQL made a round trip for each cell kept and each change.
            var kept: [CellRisk] = []
            var dropped: [String] = []
            var changes: [(change: RiskChange, place: (code: String, path: String), facts: RiskFacts)] = []
            for (cell, place) in paths {
                let found = facts[cell] ?? RiskFacts()
                let level = RiskMap.level(rule, found)
                let old = before[cell] ?? .blue
                if level != .blue {
                    kept.append(
                        CellRisk(
                            gridCellId: cell, category: category.code, level: level, facts: found, areaPath: place.path,
                            updatedAt: now))
                } else if before[cell] != nil {
                    dropped.append(cell)
                }
                guard level != old else { continue }
                changes.append(
                    (RiskChange(gridCellId: cell, category: category.code, from: old, to: level, at: now), place, found)
                )
            }
            try await risk.replace(category.code, cells: kept.map(\.gridCellId) + dropped, kept: kept, on: db)
            try await risk.record(changes.map(\.change), on: db)
            outcome.changes += changes.map(\.change)
            for (change, place, found) in changes {
                if let event = try await warn(
                    change, category, cellCode: place.code, path: place.path, facts: found, on: db)
                {
                    events.append(event)
                }
            }
        }
        outcome.events = try await EventOutbox().append(events, at: now, on: db)
        return outcome
    }

    /// A red cell's warning raised, or settled once the cell leaves red.
    private func warn(
        _ change: RiskChange, _ category: RiskCategory, cellCode: String, path: String, facts: RiskFacts,
        on db: any SQLDatabase
    ) async throws -> MonitoringEvent? {
        let key = "risk:\(change.gridCellId):\(change.category)"
        let warnings = SupervisionRepository()
        if change.to == .red {
            guard try await warnings.openWarning(key: key, on: db) == nil else { return nil }
            let warning = Warning(
                id: Identifier.make(at: change.at), key: key, kind: .riskCell, level: .red, targetType: "gridCell",
                targetId: change.gridCellId, areaPath: path, departmentId: nil,
                title: "\(cellCode) \(category.name)重大风险",
                detail:
                    "危险源 \(facts.hazards) 处（最高 \(facts.hazardMax) 级），告警 \(facts.alarms) 条，案件 \(facts.cases) 件",
                raisedAt: change.at, updatedAt: change.at)
            try await warnings.insert(warning, on: db)
            return .warning(warning)
        }
        guard change.from == .red, var open = try await warnings.openWarning(key: key, on: db) else { return nil }
        open.resolvedAt = change.at
        open.updatedAt = change.at
        try await warnings.update(open, on: db)
        return .warning(open)
    }
}
