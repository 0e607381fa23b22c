import ChengyunCore
import SQLKit

/// Departments and handling units.
public struct DepartmentRepository: Sendable {
    public init() {}

    struct Row: Codable {
        var id: String
        var code: String
        var name: String
        var kind: DepartmentKind
        var areaId: String
        var areaPath: String
        var phone: String?
        var active: Int
        var createdAt: Int64
        var updatedAt: Int64

        init(_ d: Department) {
            id = d.id
            code = d.code
            name = d.name
            kind = d.kind
            areaId = d.areaId
            areaPath = d.areaPath
            phone = d.phone
            active = d.active ? 1 : 0
            createdAt = d.createdAt
            updatedAt = d.updatedAt
        }

        var department: Department {
            Department(
                id: id, code: code, name: name, kind: kind, areaId: areaId, areaPath: areaPath, phone: phone,
                active: active != 0, createdAt: createdAt, updatedAt: updatedAt)
        }
    }

    public func insert(_ department: Department, on db: any SQLDatabase) async throws {
        try await db.insert(into: "departments").model(Row(department), with: rowEncoder).run()
    }

    public func update(_ department: Department, on db: any SQLDatabase) async throws {
        let row = Row(department)
        try await db.update("departments").set("name", to: row.name).set("kind", to: row.kind.rawValue)
            .set("phone", to: row.phone).set("active", to: row.active).set("updated_at", to: row.updatedAt)
            .where("id", .equal, row.id).run()
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> Department? {
        try await db.select().column("*").from("departments").where("id", .equal, id)
            .first(decoding: Row.self, with: rowDecoder)?.department
    }

    public func find(code: String, on db: any SQLDatabase) async throws -> Department? {
        try await db.select().column("*").from("departments").where("code", .equal, code)
            .first(decoding: Row.self, with: rowDecoder)?.department
    }

    /// The departments with these codes, in one query.
    public func find(codes: [String], on db: any SQLDatabase) async throws -> [Department] {
        guard !codes.isEmpty else { return [] }
        return try await db.select().column("*").from("departments").where("code", .in, codes).orderBy("code")
            .all(decoding: Row.self, with: rowDecoder).map(\.department)
    }

    /// Every department's name by id (letters name the departments a case is with).
    public func names(on db: any SQLDatabase) async throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try await db.select().column("id").column("name").from("departments").all() {
            names[try row.decode(column: "id", as: String.self)] = try row.decode(column: "name", as: String.self)
        }
        return names
    }

    public func list(scopePath: String?, kind: DepartmentKind?, page: PageRequest, on db: any SQLDatabase) async throws
        -> Page<Department>
    {
        var query = db.select().column("*").from("departments").inScope(scopePath)
        if let kind { query = query.where("kind", .equal, kind.rawValue) }
        let rows = try await page.apply(to: query).all(decoding: Row.self, with: rowDecoder)
        return page.page(rows.map(\.department)) { $0.id }
    }
}
