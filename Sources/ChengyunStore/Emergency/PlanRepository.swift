import ChengyunCore
import Foundation
import SQLKit

/// Plans in the database: each version a row holding the plan's document as JSON.
struct PlanRepository: Sendable {
    typealias Summary = PlanSummary

    func insert(_ plan: EmergencyPlan, by actorId: String, at now: Int64, on db: any SQLDatabase) async throws {
        try await db.insert(into: "emergency_plans")
            .columns("id", "code", "version", "incident_type", "name", "document", "created_by", "created_at")
            .values(
                SQLBind(Identifier.make(at: now)), SQLBind(plan.code), SQLBind(plan.version),
                SQLBind(plan.incidentType), SQLBind(plan.name), SQLBind(try Self.document(plan)), SQLBind(actorId),
                SQLBind(now)
            )
            .run()
    }

    /// The highest version of `code`, 0 when there is none.
    func latestVersion(_ code: String, on db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw(
            "SELECT MAX(version) AS version FROM emergency_plans WHERE code = \(bind: code)"
        ).first()
        return try row?.decode(column: "version", as: Int?.self) ?? 0
    }

    /// A version of a plan, the latest when `version` is nil.
    func find(_ code: String, version: Int?, on db: any SQLDatabase) async throws -> EmergencyPlan? {
        var wanted = version ?? 0
        if version == nil { wanted = try await latestVersion(code, on: db) }
        let row = try await db.select().column("document").from("emergency_plans").where("code", .equal, code)
            .where("version", .equal, wanted).first()
        return try row.map {
            try JSONDecoder().decode(
                EmergencyPlan.self, from: Data(try $0.decode(column: "document", as: String.self).utf8))
        }
    }

    /// The latest version of every plan, by code.
    func latest(on db: any SQLDatabase) async throws -> [Summary] {
        try await db.raw(
            """
            SELECT p.code, p.version, p.incident_type, p.name, p.created_by, p.created_at FROM emergency_plans p
            WHERE p.version = (SELECT MAX(q.version) FROM emergency_plans q WHERE q.code = p.code) ORDER BY p.code
            """
        ).all(decoding: Summary.self, with: rowDecoder)
    }

    /// The latest version of the first plan (by code) answering an incident type.
    func latest(forType incidentType: String, on db: any SQLDatabase) async throws -> EmergencyPlan? {
        let row = try await db.raw(
            """
            SELECT p.code FROM emergency_plans p WHERE p.incident_type = \(bind: incidentType)
              AND p.version = (SELECT MAX(q.version) FROM emergency_plans q WHERE q.code = p.code)
            ORDER BY p.code LIMIT 1
            """
        ).first()
        guard let code = try row?.decode(column: "code", as: String.self) else { return nil }
        return try await find(code, version: nil, on: db)
    }

    /// Every version of a plan, newest first.
    func versions(_ code: String, on db: any SQLDatabase) async throws -> [Summary] {
        try await db.select().columns("code", "version", "incident_type", "name", "created_by", "created_at")
            .from("emergency_plans").where("code", .equal, code).orderBy("version", .descending)
            .all(decoding: Summary.self, with: rowDecoder)
    }

    static func document(_ plan: EmergencyPlan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(plan), as: UTF8.self)
    }
}
