import ChengyunCore
import SQLKit

/// Machine API keys. The secret is stored as SHA-256: keys are long random strings, so a slow
/// hash adds nothing, and devices authenticate on every telemetry batch.
public struct APIKeyRepository: Sendable {
    public init() {}

    struct Row: Codable {
        var id: String
        var name: String
        var prefix: String
        var secretHash: String
        var scopes: String
        var areaId: String
        var areaPath: String
        var createdBy: String
        var createdAt: Int64
        var revokedAt: Int64?
        var lastUsedAt: Int64?
        var rateLimitPerMinute: Int?
        var grantId: String?
        var expiresAt: Int64?
        var datasetId: String?

        var key: APIKey {
            var key = APIKey(
                id: id, name: name, prefix: prefix,
                scopes: scopes.split(separator: ",").compactMap { KeyScope(rawValue: String($0)) },
                areaId: areaId, areaPath: areaPath, createdBy: createdBy, createdAt: createdAt,
                revokedAt: revokedAt, lastUsedAt: lastUsedAt, rateLimitPerMinute: rateLimitPerMinute)
            (key.grantId, key.expiresAt, key.datasetId) = (grantId, expiresAt, datasetId)
            return key
        }
    }

    public func insert(_ key: APIKey, secretHash: String, on db: any SQLDatabase) async throws {
        let row = Row(
            id: key.id, name: key.name, prefix: key.prefix, secretHash: secretHash,
            scopes: key.scopes.map(\.rawValue).joined(separator: ","), areaId: key.areaId,
            areaPath: key.areaPath, createdBy: key.createdBy, createdAt: key.createdAt,
            revokedAt: nil, lastUsedAt: nil, rateLimitPerMinute: key.rateLimitPerMinute, grantId: key.grantId,
            expiresAt: key.expiresAt, datasetId: key.datasetId)
        try await db.insert(into: "api_keys").model(row, with: rowEncoder).run()
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> APIKey? {
        try await db.select().column("*").from("api_keys").where("id", .equal, id)
            .first(decoding: Row.self, with: rowDecoder)?.key
    }

    public func findWithHash(prefix: String, on db: any SQLDatabase) async throws -> (key: APIKey, hash: String)? {
        guard
            let row = try await db.select().column("*").from("api_keys").where("prefix", .equal, prefix)
                .first(decoding: Row.self, with: rowDecoder)
        else { return nil }
        return (row.key, row.secretHash)
    }

    public func list(scopePath: String?, page: PageRequest, on db: any SQLDatabase) async throws -> Page<APIKey> {
        let query = db.select().column("*").from("api_keys").inScope(scopePath)
        let rows = try await page.apply(to: query).all(decoding: Row.self, with: rowDecoder)
        return page.page(rows.map(\.key)) { $0.id }
    }

    /// A dataset's push keys, newest first, revoked ones too (its owner's list).
    func list(datasetId: String, on db: any SQLDatabase) async throws -> [APIKey] {
        try await db.select().column("*").from("api_keys").where("dataset_id", .equal, datasetId)
            .orderBy("id", .descending).all(decoding: Row.self, with: rowDecoder).map(\.key)
    }

    public func revoke(id: String, at now: Int64, on db: any SQLDatabase) async throws {
        try await db.update("api_keys").set("revoked_at", to: now).where("id", .equal, id).run()
    }

    /// Revokes every live key of a grant (the grant ended, or a new key replaces them).
    func revoke(grantId: String, at now: Int64, on db: any SQLDatabase) async throws {
        try await db.update("api_keys").set("revoked_at", to: now).where("grant_id", .equal, grantId)
            .where("revoked_at", .is, SQLLiteral.null).run()
    }
}
