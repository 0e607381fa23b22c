import ChengyunCore
import SQLKit

/// Citizen accounts, apart from staff.
public struct CitizenRepository: Sendable {
    public init() {}

    struct Row: Codable {
        var id: String
        var phone: String
        var displayName: String
        var passwordHash: String
        var failedAttempts: Int
        var lockedUntil: Int64?
        var createdAt: Int64

        var citizen: Citizen {
            Citizen(
                id: id, phone: phone, displayName: displayName, failedAttempts: failedAttempts,
                lockedUntil: lockedUntil, createdAt: createdAt)
        }
    }

    public func insert(_ citizen: Citizen, passwordHash: String, on db: any SQLDatabase) async throws {
        let row = Row(
            id: citizen.id, phone: citizen.phone, displayName: citizen.displayName, passwordHash: passwordHash,
            failedAttempts: 0, lockedUntil: nil, createdAt: citizen.createdAt)
        try await db.insert(into: "citizens").model(row, with: rowEncoder).run()
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> Citizen? {
        try await db.select().column("*").from("citizens").where("id", .equal, id)
            .first(decoding: Row.self, with: rowDecoder)?.citizen
    }

    public func findWithHash(phone: String, on db: any SQLDatabase) async throws -> (citizen: Citizen, hash: String)? {
        guard
            let row = try await db.select().column("*").from("citizens").where("phone", .equal, phone)
                .first(decoding: Row.self, with: rowDecoder)
        else { return nil }
        return (row.citizen, row.passwordHash)
    }

    public func recordLogin(citizenId: String, failures: Int, lockedUntil: Int64?, on db: any SQLDatabase) async throws
    {
        try await db.update("citizens").set("failed_attempts", to: failures)
            .set("locked_until", to: lockedUntil.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .where("id", .equal, citizenId).run()
    }
}
