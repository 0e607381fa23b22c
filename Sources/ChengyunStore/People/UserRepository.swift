import ChengyunCore
import SQLKit

/// Staff users and their roles (one row per role in `user_roles`).
public struct UserRepository: Sendable {
    public init() {}

    struct Row: Codable {
        var id: String
        var username: String
        var displayName: String
        var passwordHash: String
        var areaId: String
        var areaPath: String
        var departmentId: String?
        var phone: String?
        var active: Int
        var failedAttempts: Int
        var lockedUntil: Int64?
        var lastLoginAt: Int64?
        var createdAt: Int64
        var updatedAt: Int64

        func user(roles: [Role]) -> User {
            User(
                id: id, username: username, displayName: displayName, roles: roles, areaId: areaId,
                areaPath: areaPath, departmentId: departmentId, phone: phone, active: active != 0,
                failedAttempts: failedAttempts, lockedUntil: lockedUntil, lastLoginAt: lastLoginAt,
                createdAt: createdAt, updatedAt: updatedAt)
        }
    }

    public func insert(_ user: User, passwordHash: String, on db: any SQLDatabase) async throws {
        let row = Row(
            id: user.id, username: user.username, displayName: user.displayName, passwordHash: passwordHash,
            areaId: user.areaId, areaPath: user.areaPath, departmentId: user.departmentId, phone: user.phone,
            active: user.active ? 1 : 0, failedAttempts: 0, lockedUntil: nil, lastLoginAt: nil,
            createdAt: user.createdAt, updatedAt: user.updatedAt)
        try await db.insert(into: "users").model(row, with: rowEncoder).run()
        try await setRoles(user.roles, userId: user.id, on: db)
    }

    /// Saves the editable profile: name, roles, area, department, phone, active.
    public func update(_ user: User, on db: any SQLDatabase) async throws {
        try await db.update("users").set("display_name", to: user.displayName).set("area_id", to: user.areaId)
            .set("area_path", to: user.areaPath).set("department_id", to: user.departmentId)
            .set("phone", to: user.phone).set("active", to: user.active ? 1 : 0)
            .set("updated_at", to: user.updatedAt).where("id", .equal, user.id).run()
        try await db.delete(from: "user_roles").where("user_id", .equal, user.id).run()
        try await setRoles(user.roles, userId: user.id, on: db)
    }

    private func setRoles(_ roles: [Role], userId: String, on db: any SQLDatabase) async throws {
        guard !roles.isEmpty else { return }
        var insert = db.insert(into: "user_roles").columns("user_id", "role")
        for role in Set(roles).sorted() { insert = insert.values(SQLBind(userId), SQLBind(role.rawValue)) }
        try await insert.run()
    }

    public func setPassword(userId: String, hash: String, at now: Int64, on db: any SQLDatabase) async throws {
        try await db.update("users").set("password_hash", to: hash).set("failed_attempts", to: 0)
            .set("locked_until", to: SQLLiteral.null).set("updated_at", to: now).where("id", .equal, userId).run()
    }

    public func recordLogin(
        userId: String, failures: Int, lockedUntil: Int64?, loggedInAt: Int64?,
        on db: any SQLDatabase
    ) async throws {
        var update = db.update("users").set("failed_attempts", to: failures)
            .set("locked_until", to: lockedUntil.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
        if let loggedInAt { update = update.set("last_login_at", to: loggedInAt) }
        try await update.where("id", .equal, userId).run()
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> User? {
        try await findWithHash(column: "id", value: id, on: db)?.user
    }

    /// The accounts of `ids` that exist, by id: two queries for each 500 ids (a change to a
    /// dataset reads the owners of all its subscriptions).
    public func find(ids: Set<String>, on db: any SQLDatabase) async throws -> [String: User] {
        var users: [String: User] = [:]
        for chunk in Array(ids).sorted().chunks(of: 500) {
            let rows = try await db.select().column("*").from("users").where("id", .in, chunk)
                .all(decoding: Row.self, with: rowDecoder)
            let roles = try await roles(of: rows.map(\.id), on: db)
            for row in rows { users[row.id] = row.user(roles: roles[row.id] ?? []) }
        }
        return users
    }

    /// A token's session and, when it is a staff member's, their account (nil when it is gone):
    /// one query where two would do, as every request a staff member makes asks it.
    public func findSession(tokenHash: String, on db: any SQLDatabase) async throws -> (
        session: SessionRepository.Session, user: User?
    )? {
        guard
            let row = try await db.raw(
                """
                SELECT s.subject_kind AS session_kind, s.subject_id AS session_subject, s.created_at AS session_created,
                    s.expires_at AS session_expires, u.*
                FROM sessions s LEFT JOIN users u ON s.subject_kind = 'staff' AND u.id = s.subject_id
                WHERE s.token_hash = \(bind: tokenHash)
                """
            ).first()
        else { return nil }
        let session = SessionRepository.Session(
            tokenHash: tokenHash, subjectKind: try row.decode(column: "session_kind", as: Principal.Kind.self),
            subjectId: try row.decode(column: "session_subject", as: String.self),
            createdAt: try row.decode(column: "session_created", as: Int64.self),
            expiresAt: try row.decode(column: "session_expires", as: Int64.self))
        guard try !row.decodeNil(column: "id") else { return (session, nil) }
        let user = try row.decode(model: Row.self, with: rowDecoder)
        let roles = try await roles(of: [user.id], on: db)[user.id] ?? []
        return (session, user.user(roles: roles))
    }

    /// The user and their password hash, for login.
    public func findWithHash(username: String, on db: any SQLDatabase) async throws -> (user: User, hash: String)? {
        try await findWithHash(column: "username", value: username, on: db)
    }

    private func findWithHash(column: String, value: String, on db: any SQLDatabase) async throws
        -> (user: User, hash: String)?
    {
        guard
            let row = try await db.select().column("*").from("users").where(
                SQLIdentifier(column), .equal, SQLBind(value)
            )
            .first(decoding: Row.self, with: rowDecoder)
        else { return nil }
        let roles = try await roles(of: [row.id], on: db)[row.id] ?? []
        return (row.user(roles: roles), row.passwordHash)
    }

    public struct Filter: Sendable {
        public var scopePath: String?
        public var role: Role?
        public var departmentId: String?
        public init(scopePath: String?, role: Role? = nil, departmentId: String? = nil) {
            self.scopePath = scopePath
            self.role = role
            self.departmentId = departmentId
        }
    }

    public func list(_ filter: Filter, page: PageRequest, on db: any SQLDatabase) async throws -> Page<User> {
        var query = db.select().column("*").from("users").inScope(filter.scopePath)
        if let role = filter.role {
            query = query.where(
                SQLIdentifier("id"), .in,
                SQLGroupExpression(
                    db.select().column("user_id").from("user_roles").where("role", .equal, role.rawValue).select))
        }
        if let departmentId = filter.departmentId { query = query.where("department_id", .equal, departmentId) }
        let rows = try await page.apply(to: query).all(decoding: Row.self, with: rowDecoder)
        let roles = try await roles(of: rows.map(\.id), on: db)
        return page.page(rows.map { $0.user(roles: roles[$0.id] ?? []) }) { $0.id }
    }

    private func roles(of userIds: [String], on db: any SQLDatabase) async throws -> [String: [Role]] {
        guard !userIds.isEmpty else { return [:] }
        let rows = try await db.select().columns("user_id", "role").from("user_roles")
            .where("user_id", .in, userIds).all()
        var result: [String: [Role]] = [:]
        for row in rows {
            let userId = try row.decode(column: "user_id", as: String.self)
            if let role = Role(rawValue: try row.decode(column: "role", as: String.self)) {
                result[userId, default: []].append(role)
            }
        }
        return result
    }
}
