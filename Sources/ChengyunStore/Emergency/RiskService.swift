import ChengyunCore
import Foundation
import SQLKit

/// POST /risk-map/hazards: a hazard source registered at a position in the caller's scope.
public struct NewHazardSource: StrictInput {
    public var code: String
    public var name: String
    public var category: String
    public var lon: Double
    public var lat: Double
    public var inherentLevel: AlarmSeverity
    public var departmentId: String?
    /// The area it spreads over (a GeoJSON Polygon), when it is more than a point.
    public var area: GeoPolygon?
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case code, name, category, lon, lat, inherentLevel, departmentId, area
    }
    public typealias Fields = CodingKeys

    public init(
        code: String, name: String, category: String, lon: Double, lat: Double, inherentLevel: AlarmSeverity,
        departmentId: String? = nil, area: GeoPolygon? = nil
    ) {
        self.code = code
        self.name = name
        self.category = category
        self.lon = lon
        self.lat = lat
        self.inherentLevel = inherentLevel
        self.departmentId = departmentId
        self.area = area
    }
}

/// What a recompute did: the cells it judged and the levels that changed.
public struct RiskRecompute: Codable, Sendable {
    public var cells: Int
    public var changes: [RiskChange]
    /// Warnings raised or settled, for the live stream once committed.
    var events: [SequencedEvent] = []

    enum CodingKeys: String, CodingKey { case cells, changes }
}

/// The four-colour risk map (安全风险四色图): hazard sources and the categories' rules give each
/// grid cell a level per category. A hazard registered recomputes its cell at once; alarms and
/// cases are followed by the risk clock, which recomputes only the cells they touched since its
/// last round. Every level change is kept; a cell turning red raises a warning (settled when it
/// leaves red), which can open an incident (`IncidentSource.riskCell`).
public struct RiskService: Sendable {
    let platform: Platform
    let risk = RiskRepository()

    public init(platform: Platform) { self.platform = platform }

    public func categories() async throws -> [RiskCategory] {
        try await platform.pool.transaction { try await categories(on: $0) }
    }

    func categories(on db: any SQLDatabase) async throws -> [RiskCategory] {
        let found = try await risk.categories(on: db)
        guard found.isEmpty else { return found }
        try await risk.ensureDefaults(try Self.shippedCategories(), on: db)
        return try await risk.categories(on: db)
    }

    /// The categories shipped with the platform (read once).
    static func shippedCategories() throws -> [RiskCategory] { try shipped.get() }

    private static let shipped = Result {
        try ShippedFile.read("default-risk-categories", as: [RiskCategory].self)
    }

    public func addHazard(_ input: NewHazardSource, by actor: Principal) async throws -> HazardSource {
        let now = platform.now()
        let (hazard, outcome) = try await platform.write(
            actor, "hazard_source.create", target: "hazard_source",
            summary: { (o: (HazardSource, RiskRecompute)) in (o.0.id, "\(o.0.code) \(o.0.name)") }
        ) { db in
            var v = Validator()
            let code = input.code.trimmingCharacters(in: .whitespaces)
            v.check(
                code.range(of: #"^[A-Za-z0-9_.-]{1,40}$"#, options: .regularExpression) != nil, "code", "invalid_value",
                "1 to 40 letters, digits, '.', '_' or '-'.")
            v.checkName(input.name)
            let categories = try await categories(on: db)
            let category = categories.first { $0.code == input.category }
            v.check(
                category != nil, "category", "unknown_category",
                "One of \(categories.map(\.code).joined(separator: ", ")).")
            let position = GeoPoint(lon: input.lon, lat: input.lat)
            v.check(position.isValid, "lon", "invalid_position", "A WGS-84 longitude and latitude.")
            try v.finish()
            guard let cell = try await GridCellRepository().locate(position, on: db) else {
                throw DomainError.validation([
                    FieldIssue(field: "lon", code: "outside_grid", message: "The position lies in no grid cell.")
                ])
            }
            try actor.requireScope(cell.areaPath)
            if let departmentId = input.departmentId {
                _ = try await platform.organisation.department(id: departmentId, by: actor, on: db)
            }
            // Spread over an area: every cell it overlaps within the caller's scope.
            var covered = [cell.id]
            if let area = input.area {
                let candidates = try await risk.cells(meeting: area.boundingBox, on: db).filter {
                    (try? actor.requireScope($0.areaPath)) != nil
                }
                covered += HazardArea.cells(overlapping: area, among: candidates.map { ($0.id, $0.outline) })
            }
            let hazard = HazardSource(
                id: Identifier.make(at: now), code: code, name: input.name.trimmingCharacters(in: .whitespaces),
                category: input.category, position: position, gridCellId: cell.id, areaPath: cell.areaPath,
                inherentLevel: input.inherentLevel, departmentId: input.departmentId, area: input.area, createdAt: now,
                updatedAt: now)
            guard try await db.select().column("id").from("hazard_sources").where("code", .equal, code).first() == nil
            else { throw DomainError(.conflict, code: "duplicate_code", "A hazard source with code \(code) exists.") }
            try await risk.insert(hazard, cells: covered, on: db)
            let outcome = try await recompute(
                category.map { [$0] } ?? [], cells: Array(Set(covered)).sorted(), at: now, on: db)
            return (hazard, outcome)
        }
        publish(outcome)
        return hazard
    }

    public func hazards(category: String?, by actor: Principal) async throws -> [HazardSource] {
        try await platform.pool.read { try await risk.hazards(scope: actor.listScope, category: category, on: $0) }
    }

    /// The cells in scope above blue for a category (every other cell is blue).
    public func map(category: String, by actor: Principal) async throws -> [CellRisk] {
        guard try await categories().contains(where: { $0.code == category }) else {
            throw DomainError.notFound("Risk category \(category)")
        }
        return try await platform.pool.read { try await risk.map(category, scope: actor.listScope, on: $0) }
    }

    /// A cell's level changes, newest first.
    public func changes(cell id: String, by actor: Principal) async throws -> [RiskChange] {
        try await platform.pool.read { db in
            let cell = try actor.found(try await GridCellRepository().find(id: id, on: db), "Grid cell", in: \.areaPath)
            return try await risk.changes(cell: cell.id, on: db)
        }
    }

    /// Every cell for every category, from scratch.
    public func recomputeAll() async throws -> RiskRecompute {
        let now = platform.now()
        let outcome = try await platform.pool.transaction { db in
            try await recompute(try await categories(on: db), cells: nil, at: now, on: db)
        }
        publish(outcome)
        return outcome
    }

    /// The cells alarms and cases touched since `since`, for every category; what changed.
    public func follow(since: Int64) async throws -> RiskRecompute {
        let now = platform.now()
        let outcome = try await platform.pool.transaction { db in
            let categories = try await categories(on: db)
            let matters = try await matterIds(on: db)
            var cells = try await risk.touchedCells(
                since: since, deviceKinds: Array(Set(categories.flatMap(\.deviceKinds))).sorted(),
                matterIds: Array(Set(categories.flatMap { $0.matterCodes.compactMap { matters[$0] } })).sorted(), on: db
            )
            // A vital sign's warning for an area touches every cell under it.
            cells.formUnion(
                try await risk.cellsUnderIndicatorWarnings(
                    since: since, indicators: Array(Set(categories.flatMap { $0.indicatorCodes ?? [] })).sorted(),
                    on: db))
            return try await recompute(categories, cells: cells.sorted(), matters: matters, at: now, on: db)
        }
        publish(outcome)
        return outcome
    }

    /// Matter ids by code.
    func matterIds(on db: any SQLDatabase) async throws -> [String: String] {
        Dictionary(try await MatterRepository().all(on: db).map { ($0.code, $0.id) }, uniquingKeysWith: { a, _ in a })
    }

    private func publish(_ outcome: RiskRecompute) {
        platform.monitoring.events.committed(outcome.events)
    }
}
