import ChengyunCore
import SQLKit

/// Login sessions. Only the SHA-256 of a token is stored, so a copy of the database does not
/// hand out working tokens.
public struct SessionRepository: Sendable {
    public init() {}

    public struct Session: Codable, Sendable, Equatable {
        public var tokenHash: String
        public var subjectKind: Principal.Kind
        public var subjectId: String
        public var createdAt: Int64
        public var expiresAt: Int64
    }

    public func insert(_ session: Session, on db: any SQLDatabase) async throws {
        try await db.insert(into: "sessions").model(session, with: rowEncoder).run()
    }

    public func delete(tokenHash: String, on db: any SQLDatabase) async throws {
        try await db.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
    }

    /// Ends every session of one subject (password change, deactivation), but the one whose
    /// token hash is `keeping` (the session a user changed their own password in).
    public func deleteAll(
        subjectKind: Principal.Kind, subjectId: String, keeping: String? = nil,
        on db: any SQLDatabase
    ) async throws {
        var delete = db.delete(from: "sessions").where("subject_kind", .equal, subjectKind.rawValue)
            .where("subject_id", .equal, subjectId)
        if let keeping { delete = delete.where("token_hash", .notEqual, keeping) }
        try await delete.run()
    }

    public func deleteExpired(now: Int64, on db: any SQLDatabase) async throws {
        try await db.delete(from: "sessions").where("expires_at", .lessThan, now).run()
    }
}
