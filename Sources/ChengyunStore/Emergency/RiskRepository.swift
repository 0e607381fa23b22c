import ChengyunCore
import Foundation
import SQLKit

/// The risk map's rows, and the facts of cells read from hazard sources, alarms and cases.
struct RiskRepository: Sendable {
    /// The shipped categories, written once (every node may try; the first wins).
    func ensureDefaults(_ categories: [RiskCategory], on db: any SQLDatabase) async throws {
        for c in categories {
            try await db.raw(
                """
                INSERT INTO risk_categories (code, name, rule, device_kinds, matter_codes, incident_type,
                    indicator_codes)
                VALUES (\(bind: c.code), \(bind: c.name), \(bind: c.rule), \(bind: try Self.json(c.deviceKinds)),
                    \(bind: try Self.json(c.matterCodes)), \(bind: c.incidentType),
                    \(bind: try Self.json(c.indicatorCodes ?? [])))
                ON CONFLICT (code) DO NOTHING
                """
            ).run()
        }
    }

    func categories(on db: any SQLDatabase) async throws -> [RiskCategory] {
        try await db.select().column("*").from("risk_categories").orderBy("code").all().map { row in
            RiskCategory(
                code: try row.decode(column: "code", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                rule: try row.decode(column: "rule", as: String.self),
                deviceKinds: try Self.list(try row.decode(column: "device_kinds", as: String.self)),
                matterCodes: try Self.list(try row.decode(column: "matter_codes", as: String.self)),
                incidentType: try row.decode(column: "incident_type", as: String?.self),
                indicatorCodes: try Self.list(try row.decode(column: "indicator_codes", as: String?.self) ?? "[]"))
        }
    }

    /// A hazard source and the cells it lies in.
    func insert(_ h: HazardSource, cells: [String], on db: any SQLDatabase) async throws {
        let area = try h.area.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await db.insert(into: "hazard_sources")
            .columns(
                "id", "code", "name", "category", "lon", "lat", "grid_cell_id", "area_path", "inherent_level",
                "inherent_rank", "department_id", "area", "created_at", "updated_at"
            )
            .values(
                SQLBind(h.id), SQLBind(h.code), SQLBind(h.name), SQLBind(h.category), SQLBind(h.position.lon),
                SQLBind(h.position.lat), SQLBind(h.gridCellId), SQLBind(h.areaPath), SQLBind(h.inherentLevel.rawValue),
                SQLBind(h.inherentLevel.rank), SQLBind(h.departmentId), SQLBind(area), SQLBind(h.createdAt),
                SQLBind(h.updatedAt)
            ).run()
        for cell in Set(cells + [h.gridCellId]).sorted() {
            try await db.insert(into: "hazard_cells").columns("hazard_id", "grid_cell_id", "category", "inherent_rank")
                .values(SQLBind(h.id), SQLBind(cell), SQLBind(h.category), SQLBind(h.inherentLevel.rank)).run()
        }
    }

    /// The ids, outlines and area paths of the cells whose bounding box meets `box`.
    func cells(meeting box: BoundingBox, on db: any SQLDatabase) async throws
        -> [(id: String, outline: GeoPolygon, areaPath: String)]
    {
        try await db.select().columns("id", "geometry", "area_path").from("grid_cells")
            .where("max_lon", .greaterThanOrEqual, box.minLon).where("min_lon", .lessThanOrEqual, box.maxLon)
            .where("max_lat", .greaterThanOrEqual, box.minLat).where("min_lat", .lessThanOrEqual, box.maxLat)
            .orderBy("id").all().map { row in
                (
                    try row.decode(column: "id", as: String.self),
                    try JSONDecoder().decode(
                        GeoPolygon.self, from: Data(try row.decode(column: "geometry", as: String.self).utf8)),
                    try row.decode(column: "area_path", as: String.self)
                )
            }
    }

    func hazards(scope: String, category: String?, on db: any SQLDatabase) async throws -> [HazardSource] {
        var query = db.select().column("*").from("hazard_sources").where("area_path", .like, scope + "%")
        if let category { query = query.where("category", .equal, category) }
        return try await query.orderBy("code").all().map { row in
            HazardSource(
                id: try row.decode(column: "id", as: String.self),
                code: try row.decode(column: "code", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                category: try row.decode(column: "category", as: String.self),
                position: GeoPoint(
                    lon: try row.decode(column: "lon", as: Double.self),
                    lat: try row.decode(column: "lat", as: Double.self)),
                gridCellId: try row.decode(column: "grid_cell_id", as: String.self),
                areaPath: try row.decode(column: "area_path", as: String.self),
                inherentLevel: try row.decode(column: "inherent_level", as: AlarmSeverity.self),
                departmentId: try row.decode(column: "department_id", as: String?.self),
                area: try row.decode(column: "area", as: String?.self).map {
                    try JSONDecoder().decode(GeoPolygon.self, from: Data($0.utf8))
                },
                createdAt: try row.decode(column: "created_at", as: Int64.self),
                updatedAt: try row.decode(column: "updated_at", as: Int64.self))
        }
    }

    /// Each cell's facts for `category`, for `cells` (every cell when nil); cells with nothing are
    /// left out.
    func facts(
        _ category: RiskCategory, matterIds: [String], cells: [String]?, on db: any SQLDatabase
    ) async throws -> [String: RiskFacts] {
        var facts: [String: RiskFacts] = [:]
        func inCells(_ column: String) -> SQLQueryString {
            guard let cells else { return "" }
            return " AND \(unsafeRaw: column) IN (\(binds: cells))"
        }
        for row in try await db.raw(
            """
            SELECT grid_cell_id AS cell, COUNT(*) AS n, MAX(inherent_rank) AS m FROM hazard_cells
            WHERE category = \(bind: category.code)\(inCells("grid_cell_id")) GROUP BY grid_cell_id
            """
        ).all() {
            let cell = try row.decode(column: "cell", as: String.self)
            facts[cell, default: RiskFacts()].hazards = try row.decode(column: "n", as: Int.self)
            facts[cell, default: RiskFacts()].hazardMax = try row.decode(column: "m", as: Int.self)
        }
        if !category.deviceKinds.isEmpty {
            for row in try await db.raw(
                """
                SELECT d.grid_cell_id AS cell, COUNT(*) AS n,
                    MAX(CASE a.severity WHEN 'red' THEN 4 WHEN 'orange' THEN 3 WHEN 'yellow' THEN 2 ELSE 1 END) AS m
                FROM alarms a JOIN devices d ON d.id = a.device_id
                WHERE a.state <> 'cleared' AND a.kind_code IN (\(binds: category.deviceKinds))
                    AND a.metric IS NOT NULL
                    AND d.grid_cell_id IS NOT NULL\(inCells("d.grid_cell_id"))
                GROUP BY d.grid_cell_id
                """
            ).all() {
                let cell = try row.decode(column: "cell", as: String.self)
                facts[cell, default: RiskFacts()].alarms = try row.decode(column: "n", as: Int.self)
                facts[cell, default: RiskFacts()].alarmMax = try row.decode(column: "m", as: Int.self)
            }
        }
        if !matterIds.isEmpty {
            for row in try await db.raw(
                """
                SELECT grid_cell_id AS cell, COUNT(*) AS n FROM cases
                WHERE matter_id IN (\(binds: matterIds)) AND grid_cell_id IS NOT NULL
                    AND state NOT IN ('closed', 'rejected', 'cancelled', 'merged')\(inCells("grid_cell_id"))
                GROUP BY grid_cell_id
                """
            ).all() {
                facts[try row.decode(column: "cell", as: String.self), default: RiskFacts()].cases =
                    try row.decode(column: "n", as: Int.self)
            }
        }
        let indicators = category.indicatorCodes ?? []
        if !indicators.isEmpty {
            for row in try await db.raw(
                """
                SELECT c.id AS cell,
                    MAX(CASE w.level WHEN 'red' THEN 4 WHEN 'orange' THEN 3 WHEN 'yellow' THEN 2 ELSE 1 END) AS m
                FROM warnings w JOIN grid_cells c ON c.area_path LIKE w.area_path || '%'
                WHERE w.kind = 'indicator' AND w.resolved_at IS NULL
                    AND w.target_id IN (\(binds: indicators))\(inCells("c.id"))
                GROUP BY c.id
                """
            ).all() {
                facts[try row.decode(column: "cell", as: String.self), default: RiskFacts()].indicatorMax =
                    try row.decode(column: "m", as: Int.self)
            }
        }
        return facts
    }

    /// The cells under the areas whose warnings of these indicators changed since `since`.
    func cellsUnderIndicatorWarnings(since: Int64, indicators: [String], on db: any SQLDatabase) async throws
        -> Set<String>
    {
        guard !indicators.isEmpty else { return [] }
        return Set(
            try await db.raw(
                """
                SELECT DISTINCT c.id AS cell FROM warnings w JOIN grid_cells c ON c.area_path LIKE w.area_path || '%'
                WHERE w.kind = 'indicator' AND w.updated_at > \(bind: since) AND w.target_id IN (\(binds: indicators))
                """
            ).all().map { try $0.decode(column: "cell", as: String.self) })
    }

    /// The cells touched since `since`: alarms of these device kinds, cases of these matters.
    func touchedCells(since: Int64, deviceKinds: [String], matterIds: [String], on db: any SQLDatabase) async throws
        -> Set<String>
    {
        var cells = Set<String>()
        if !deviceKinds.isEmpty {
            for row in try await db.raw(
                """
                SELECT DISTINCT d.grid_cell_id AS cell FROM alarms a JOIN devices d ON d.id = a.device_id
                WHERE a.updated_at > \(bind: since) AND a.kind_code IN (\(binds: deviceKinds)) AND d.grid_cell_id IS NOT NULL
                """
            ).all() { cells.insert(try row.decode(column: "cell", as: String.self)) }
        }
        if !matterIds.isEmpty {
            for row in try await db.raw(
                """
                SELECT DISTINCT grid_cell_id AS cell FROM cases
                WHERE matter_id IN (\(binds: matterIds)) AND updated_at > \(bind: since) AND grid_cell_id IS NOT NULL
                """
            ).all() { cells.insert(try row.decode(column: "cell", as: String.self)) }
        }
        return cells
    }

    /// The stored levels of a category, for `cells` (all when nil).
    func levels(_ category: String, cells: [String]?, on db: any SQLDatabase) async throws -> [String: AlarmSeverity] {
        var query = db.select().columns("grid_cell_id", "level").from("risk_cells").where("category", .equal, category)
        if let cells { query = query.where("grid_cell_id", .in, cells) }
        var levels: [String: AlarmSeverity] = [:]
        for row in try await query.all() {
            levels[try row.decode(column: "grid_cell_id", as: String.self)] = try row.decode(
                column: "level", as: AlarmSeverity.self)
        }
        return levels
    }

    /// One category's cells judged again: the rows of `cells` and `dropped` replaced by `kept`
    /// (cells above blue), a few hundred rows to a statement.
    func replace(
        _ category: String, cells: [String], kept: [CellRisk], on db: any SQLDatabase
    ) async throws {
        for chunk in cells.chunks(of: 500) {
            try await db.delete(from: "risk_cells").where("category", .equal, category)
                .where("grid_cell_id", .in, chunk).run()
        }
        for chunk in kept.chunks(of: 500) {
            try await db.insert(into: "risk_cells")
                .columns("grid_cell_id", "category", "level", "facts", "area_path", "updated_at")
                .rows(
                    try chunk.map { risk -> [any SQLExpression] in
                        [
                            SQLBind(risk.gridCellId), SQLBind(risk.category), SQLBind(risk.level.rawValue),
                            SQLBind(String(decoding: try JSONEncoder().encode(risk.facts), as: UTF8.self)),
                            SQLBind(risk.areaPath), SQLBind(risk.updatedAt),
                        ]
                    }
                ).run()
        }
    }

    func record(_ changes: [RiskChange], on db: any SQLDatabase) async throws {
        for chunk in changes.chunks(of: 500) {
            try await db.insert(into: "risk_changes")
                .columns("id", "grid_cell_id", "category", "from_level", "to_level", "at")
                .rows(
                    chunk.map { change -> [any SQLExpression] in
                        [
                            SQLBind(Identifier.make(at: change.at)), SQLBind(change.gridCellId),
                            SQLBind(change.category),
                            SQLBind(change.from.rawValue), SQLBind(change.to.rawValue), SQLBind(change.at),
                        ]
                    }
                ).run()
        }
    }

    func map(_ category: String, scope: String, on db: any SQLDatabase) async throws -> [CellRisk] {
        try await db.select().column("*").from("risk_cells").where("category", .equal, category)
            .where("area_path", .like, scope + "%").orderBy("grid_cell_id").all().map { row in
                CellRisk(
                    gridCellId: try row.decode(column: "grid_cell_id", as: String.self),
                    category: try row.decode(column: "category", as: String.self),
                    level: try row.decode(column: "level", as: AlarmSeverity.self),
                    facts: try JSONDecoder().decode(
                        RiskFacts.self, from: Data(try row.decode(column: "facts", as: String.self).utf8)),
                    areaPath: try row.decode(column: "area_path", as: String.self),
                    updatedAt: try row.decode(column: "updated_at", as: Int64.self))
            }
    }

    func changes(cell: String, on db: any SQLDatabase) async throws -> [RiskChange] {
        try await db.select().column("*").from("risk_changes").where("grid_cell_id", .equal, cell)
            .orderBy("at", .descending).limit(500).all().map { row in
                RiskChange(
                    gridCellId: cell, category: try row.decode(column: "category", as: String.self),
                    from: try row.decode(column: "from_level", as: AlarmSeverity.self),
                    to: try row.decode(column: "to_level", as: AlarmSeverity.self),
                    at: try row.decode(column: "at", as: Int64.self))
            }
    }

    static func json(_ list: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
    }
    static func list(_ text: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
