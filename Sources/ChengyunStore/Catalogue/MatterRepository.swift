import ChengyunCore
import Foundation
import SQLKit

/// Matters, each stored whole as JSON beside the columns queries filter on, with every version
/// kept in `matter_versions` so a case can always read the rules it was filed under.
public struct MatterRepository: Sendable {
    public init() {}

    struct Row: Codable {
        var id: String
        var kind: CaseKind
        var majorCode: String
        var minorCode: String
        var version: Int
        var active: Int
        var isPublic: Int
        var body: String
        var updatedAt: Int64
    }

    static func encode(_ matter: Matter) throws -> String {
        String(decoding: try JSONEncoder().encode(matter), as: UTF8.self)
    }

    static func decode(_ body: String) throws -> Matter {
        try JSONDecoder().decode(Matter.self, from: Data(body.utf8))
    }

    /// Saves a new matter or a new version of one (the caller sets `version`).
    public func save(_ matter: Matter, on db: any SQLDatabase) async throws {
        let body = try Self.encode(matter)
        let row = Row(
            id: matter.id, kind: matter.kind, majorCode: matter.majorCode, minorCode: matter.minorCode,
            version: matter.version, active: matter.active ? 1 : 0, isPublic: matter.isPublic ? 1 : 0,
            body: body, updatedAt: matter.updatedAt)
        if matter.version == 1 {
            try await db.insert(into: "matters").model(row, with: rowEncoder).run()
        } else {
            try await db.update("matters").set("version", to: row.version).set("active", to: row.active)
                .set("is_public", to: row.isPublic).set("body", to: body).set("updated_at", to: row.updatedAt)
                .where("id", .equal, matter.id).run()
        }
        try await db.insert(into: "matter_versions").columns("matter_id", "version", "body", "created_at")
            .values(SQLBind(matter.id), SQLBind(matter.version), SQLBind(body), SQLBind(matter.updatedAt)).run()
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> Matter? {
        try await db.select().column("body").from("matters").where("id", .equal, id).first()
            .map { try Self.decode(try $0.decode(column: "body", as: String.self)) }
    }

    public func find(code: MatterCode, on db: any SQLDatabase) async throws -> Matter? {
        try await find(kind: code.kind, majorCode: code.majorCode, minorCode: code.minorCode, on: db)
    }

    public func find(kind: CaseKind, majorCode: String, minorCode: String, on db: any SQLDatabase) async throws
        -> Matter?
    {
        try await db.select().column("body").from("matters").where("kind", .equal, kind.rawValue)
            .where("major_code", .equal, majorCode).where("minor_code", .equal, minorCode).first()
            .map { try Self.decode(try $0.decode(column: "body", as: String.self)) }
    }

    /// The matter as it was at `version`. Versions never change once written, so they are cached
    /// for the life of the process (every case step reads one).
    public func find(id: String, version: Int, on db: any SQLDatabase) async throws -> Matter? {
        if let cached = MatterVersionCache.shared.get(id, version) { return cached }
        let matter = try await db.select().column("body").from("matter_versions").where("matter_id", .equal, id)
            .where("version", .equal, version).first()
            .map { try Self.decode(try $0.decode(column: "body", as: String.self)) }
        if let matter { MatterVersionCache.shared.put(matter) }
        return matter
    }

    public func all(publicOnly: Bool = false, on db: any SQLDatabase) async throws -> [Matter] {
        var query = db.select().column("body").from("matters")
        if publicOnly { query = query.where("is_public", .equal, 1).where("active", .equal, 1) }
        return try await query.orderBy("kind").orderBy("major_code").orderBy("minor_code").all()
            .map { try Self.decode(try $0.decode(column: "body", as: String.self)) }
    }

    public func versions(of id: String, on db: any SQLDatabase) async throws -> [Matter] {
        try await db.select().column("body").from("matter_versions").where("matter_id", .equal, id).orderBy("version")
            .all()
            .map { try Self.decode(try $0.decode(column: "body", as: String.self)) }
    }
}

/// Immutable matter versions by (id, version). Ids are app-made and unique, so one cache serves
/// every database a process opens.
final class MatterVersionCache: @unchecked Sendable {
    static let shared = MatterVersionCache()
    private let lock = NSLock()
    private var entries: [String: Matter] = [:]

    func get(_ id: String, _ version: Int) -> Matter? {
        lock.withLock { entries["\(id)#\(version)"] }
    }

    func put(_ matter: Matter) {
        lock.withLock {
            if entries.count > 10_000 { entries.removeAll() }
            entries["\(matter.id)#\(matter.version)"] = matter
        }
    }
}

/// Routing rules.
public struct RoutingRuleRepository: Sendable {
    public init() {}

    struct Row: Codable {
        var id: String
        var matterId: String?
        var areaId: String
        var areaPath: String
        var departmentIds: String
        var createdAt: Int64

        var rule: RoutingRule {
            RoutingRule(
                id: id, matterId: matterId, areaId: areaId, areaPath: areaPath,
                departmentIds: departmentIds.split(separator: ",").map(String.init))
        }
    }

    public func insert(_ rule: RoutingRule, at now: Int64, on db: any SQLDatabase) async throws {
        let row = Row(
            id: rule.id, matterId: rule.matterId, areaId: rule.areaId, areaPath: rule.areaPath,
            departmentIds: rule.departmentIds.joined(separator: ","), createdAt: now)
        try await db.insert(into: "routing_rules").model(row, with: rowEncoder).run()
    }

    public func delete(id: String, on db: any SQLDatabase) async throws {
        try await db.delete(from: "routing_rules").where("id", .equal, id).run()
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> RoutingRule? {
        try await db.select().column("*").from("routing_rules").where("id", .equal, id)
            .first(decoding: Row.self, with: rowDecoder)?.rule
    }

    /// Rules that could route this matter: its own and the fallbacks.
    public func candidates(matterId: String?, on db: any SQLDatabase) async throws -> [RoutingRule] {
        var query = db.select().column("*").from("routing_rules")
        if let matterId {
            query = query.where { $0.where("matter_id", .equal, matterId).orWhere("matter_id", .is, SQLLiteral.null) }
        }
        return try await query.orderBy("id").all(decoding: Row.self, with: rowDecoder).map(\.rule)
    }

    public func list(scopePath: String?, on db: any SQLDatabase) async throws -> [RoutingRule] {
        try await db.select().column("*").from("routing_rules").inScope(scopePath).orderBy("id")
            .all(decoding: Row.self, with: rowDecoder).map(\.rule)
    }
}
