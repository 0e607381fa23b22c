import ChengyunCore
import Crypto
import Foundation
import SQLKit

/// Staff users, citizens and machine keys.
public struct PeopleService: Sendable {
    let platform: Platform
    let users = UserRepository()
    let citizens = CitizenRepository()
    let keys = APIKeyRepository()
    let sessions = SessionRepository()
    let areas = AreaRepository()
    let departments = DepartmentRepository()

    // MARK: Users

    public func createUser(_ input: NewUser, by actor: Principal) async throws -> User {
        var validator = Validator()
        validator.check(
            User.isValidUsername(input.username), "username", "invalid_username",
            "A username is 3–40 letters, digits, dots, dashes or underscores.")
        validator.checkName(input.displayName, field: "displayName")
        validator.check(!input.roles.isEmpty, "roles", "required", "A user holds at least one role.")
        for issue in platform.settings.passwordPolicy.issues(password: input.password, username: input.username) {
            validator.add(issue)
        }
        try validator.finish()
        let hash = try await platform.hasher.hash(input.password)
        return try await platform.write(
            actor, "user.create", target: "user",
            summary: { ($0.id, "\($0.username) roles \($0.roles.map(\.rawValue))") }
        ) { db in
            let (area, departmentId) = try await placement(
                areaId: input.areaId, departmentId: input.departmentId,
                roles: input.roles, by: actor, on: db)
            if try await users.findWithHash(username: input.username, on: db) != nil {
                throw DomainError(.conflict, code: "duplicate_username", "The username \(input.username) is taken.")
            }
            let now = platform.now()
            let user = User(
                id: Identifier.make(at: now), username: input.username, displayName: input.displayName,
                roles: input.roles, areaId: area.id, areaPath: area.path, departmentId: departmentId,
                phone: input.phone, createdAt: now, updatedAt: now)
            try await users.insert(user, passwordHash: hash, on: db)
            return user
        }
    }

    /// Checks the area and department a user is placed in: both in the actor's scope, and a
    /// department handler belongs to a department.
    private func placement(
        areaId: String, departmentId: String?, roles: [Role], by actor: Principal,
        on db: any SQLDatabase
    ) async throws -> (Area, String?) {
        guard let area = try await areas.find(id: areaId, on: db) else {
            throw DomainError.validation([
                FieldIssue(field: "areaId", code: "unknown_area", message: "No area has this id.")
            ])
        }
        try actor.requireScope(area.path)
        if let departmentId {
            guard let department = try await departments.find(id: departmentId, on: db) else {
                throw DomainError.validation([
                    FieldIssue(
                        field: "departmentId", code: "unknown_department",
                        message: "No department has this id.")
                ])
            }
            try actor.requireScope(department.areaPath)
        } else if roles.contains(.handler) {
            throw DomainError.validation([
                FieldIssue(
                    field: "departmentId", code: "required",
                    message: "A department handler belongs to a department.")
            ])
        }
        return (area, departmentId)
    }

    public func updateUser(id: String, _ change: UserChange, by actor: Principal) async throws -> User {
        try await platform.write(actor, "user.update", target: "user", summary: { ($0.id, "\($0.username) updated") }) {
            db in
            var user = try await user(id: id, by: actor, on: db)
            var validator = Validator()
            if let name = change.displayName { validator.checkName(name, field: "displayName") }
            if let roles = change.roles {
                validator.check(!roles.isEmpty, "roles", "required", "A user holds at least one role.")
            }
            try validator.finish()
            let roles = change.roles ?? user.roles
            let (area, departmentId) = try await placement(
                areaId: change.areaId ?? user.areaId,
                departmentId: change.departmentId ?? user.departmentId,
                roles: roles, by: actor, on: db)
            user.displayName = change.displayName ?? user.displayName
            user.roles = roles.sorted()
            user.areaId = area.id
            user.areaPath = area.path
            user.departmentId = departmentId
            user.phone = change.phone ?? user.phone
            user.active = change.active ?? user.active
            user.updatedAt = platform.now()
            try await users.update(user, on: db)
            if !user.active { try await sessions.deleteAll(subjectKind: .staff, subjectId: user.id, on: db) }
            return user
        }
    }

    /// An administrator sets a new password; the user's sessions end and any lock lifts.
    public func resetPassword(id: String, to password: String, by actor: Principal) async throws -> User {
        let target = try await user(id: id, by: actor)
        let issues = platform.settings.passwordPolicy.issues(password: password, username: target.username)
        if !issues.isEmpty { throw DomainError.validation(issues) }
        let hash = try await platform.hasher.hash(password)
        return try await platform.write(
            actor, "user.password_reset", target: "user",
            summary: { ($0.id, "\($0.username) password reset") }
        ) { db in
            try await users.setPassword(userId: id, hash: hash, at: platform.now(), on: db)
            try await sessions.deleteAll(subjectKind: .staff, subjectId: id, on: db)
            return target
        }
    }

    /// A user changes their own password, proving the current one. Every other session of the
    /// user ends (one opened with the old password elsewhere, say); the one it was changed in,
    /// `session` (its token), stays.
    public func changeOwnPassword(_ change: PasswordChange, by actor: Principal, session: String? = nil) async throws {
        guard actor.kind == .staff,
            let (user, hash) = try await platform.pool.read({
                try await users.findWithHash(username: actor.name, on: $0)
            }),
            user.id == actor.id
        else { throw DomainError(.forbidden, code: "forbidden", "Only staff change passwords here.") }
        guard try await platform.hasher.verify(change.currentPassword, hash: hash) else {
            throw DomainError.validation([
                FieldIssue(
                    field: "currentPassword", code: "wrong_password",
                    message: "The current password is not right.")
            ])
        }
        let issues = platform.settings.passwordPolicy.issues(
            password: change.newPassword, username: user.username,
            field: "newPassword")
        if !issues.isEmpty { throw DomainError.validation(issues) }
        let newHash = try await platform.hasher.hash(change.newPassword)
        _ = try await platform.write(
            actor, "user.password_change", target: "user",
            summary: { ($0, "\(user.username) changed own password") }
        ) { db in
            try await users.setPassword(userId: user.id, hash: newHash, at: platform.now(), on: db)
            try await sessions.deleteAll(
                subjectKind: .staff, subjectId: user.id, keeping: session.map(APIKeyMaterial.hash), on: db)
            return user.id
        }
    }

    public func unlock(id: String, by actor: Principal) async throws -> User {
        try await platform.write(actor, "user.unlock", target: "user", summary: { ($0.id, "\($0.username) unlocked") })
        { db in
            var user = try await user(id: id, by: actor, on: db)
            try await users.recordLogin(userId: id, failures: 0, lockedUntil: nil, loggedInAt: nil, on: db)
            user.failedAttempts = 0
            user.lockedUntil = nil
            return user
        }
    }

    public func user(id: String, by actor: Principal) async throws -> User {
        try await platform.pool.read { try await user(id: id, by: actor, on: $0) }
    }

    func user(id: String, by actor: Principal, on db: any SQLDatabase) async throws -> User {
        try actor.found(try await users.find(id: id, on: db), "User", in: \.areaPath)
    }

    public func listUsers(role: Role?, departmentId: String?, page: PageRequest, by actor: Principal) async throws
        -> Page<User>
    {
        try await platform.pool.read { db in
            try await users.list(
                .init(scopePath: actor.listScope, role: role, departmentId: departmentId),
                page: page, on: db)
        }
    }

    // MARK: Citizens

    /// Self-registration of a citizen account.
    public func registerCitizen(_ input: NewCitizen) async throws -> Citizen {
        var validator = Validator()
        validator.check(
            Citizen.isValidPhone(input.phone), "phone", "invalid_phone", "An 11-digit mobile number starting with 1.")
        validator.checkName(input.displayName, field: "displayName")
        for issue in platform.settings.passwordPolicy.issues(password: input.password, username: input.phone) {
            validator.add(issue)
        }
        try validator.finish()
        // Found before any hashing: a taken number costs no bcrypt work (checked again below).
        if try await platform.pool.read({ try await citizens.findWithHash(phone: input.phone, on: $0) }) != nil {
            throw Self.duplicatePhone()
        }
        let hash = try await platform.hasher.hash(input.password)
        let now = platform.now()
        let citizen = Citizen(
            id: Identifier.make(at: now), phone: input.phone, displayName: input.displayName, createdAt: now)
        return try await platform.write(
            .citizen(citizen), "citizen.register", target: "citizen",
            summary: { ($0.id, "registered") }
        ) { db in
            if try await citizens.findWithHash(phone: input.phone, on: db) != nil { throw Self.duplicatePhone() }
            try await citizens.insert(citizen, passwordHash: hash, on: db)
            return citizen
        }
    }

    static func duplicatePhone() -> DomainError {
        DomainError(.conflict, code: "duplicate_phone", "An account with this phone number exists.")
    }

    // MARK: API keys

    public func createAPIKey(_ input: NewAPIKey, by actor: Principal) async throws -> IssuedAPIKey {
        var validator = Validator()
        validator.checkName(input.name)
        validator.check(!input.scopes.isEmpty, "scopes", "required", "A key has at least one scope.")
        validator.check(
            input.scopes.allSatisfy(KeyScope.general.contains), "scopes", "invalid_value",
            "A data:push key is made by a dataset's owner for that dataset: POST /datasets/{code}/push-keys.")
        validator.check(
            (1...100_000).contains(input.rateLimitPerMinute ?? 1), "rateLimitPerMinute", "invalid_value",
            "A rate limit is 1 to 100000 requests a minute.")
        try validator.finish()
        return try await platform.write(
            actor, "api_key.create", target: "api_key",
            summary: { ($0.key.id, "\($0.key.name) \($0.key.scopes.map(\.rawValue))") }
        ) { db in
            guard let area = try await areas.find(id: input.areaId, on: db) else {
                throw DomainError.validation([
                    FieldIssue(field: "areaId", code: "unknown_area", message: "No area has this id.")
                ])
            }
            try actor.requireScope(area.path)
            let now = platform.now()
            let material = APIKeyMaterial.generate()
            let key = APIKey(
                id: Identifier.make(at: now), name: input.name, prefix: material.prefix,
                scopes: Array(Set(input.scopes)).sorted { $0.rawValue < $1.rawValue }, areaId: area.id,
                areaPath: area.path, createdBy: actor.id, createdAt: now, rateLimitPerMinute: input.rateLimitPerMinute)
            try await keys.insert(key, secretHash: material.secretHash, on: db)
            return IssuedAPIKey(key: key, secret: material.presented)
        }
    }

    public func revokeAPIKey(id: String, by actor: Principal) async throws -> APIKey {
        try await platform.write(actor, "api_key.revoke", target: "api_key", summary: { ($0.id, "\($0.name) revoked") })
        { db in
            var key = try actor.found(try await keys.find(id: id, on: db), "API key", in: \.areaPath)
            let now = platform.now()
            try await keys.revoke(id: id, at: now, on: db)
            key.revokedAt = now
            return key
        }
    }

    public func apiKey(id: String, by actor: Principal) async throws -> APIKey {
        try actor.found(
            try await platform.pool.read({ try await keys.find(id: id, on: $0) }), "API key", in: \.areaPath)
    }

    public func listAPIKeys(page: PageRequest, by actor: Principal) async throws -> Page<APIKey> {
        try await platform.pool.read { try await keys.list(scopePath: actor.listScope, page: page, on: $0) }
    }
}

/// The parts of a machine key: `cyk_<prefix>_<secret>`. The prefix finds the row; the secret's
/// SHA-256 is compared in constant time.
struct APIKeyMaterial {
    var prefix: String
    var secret: String
    var presented: String { "cyk_\(prefix)_\(secret)" }
    var secretHash: String { Self.hash(secret) }

    static func generate() -> APIKeyMaterial {
        APIKeyMaterial(prefix: SecureToken.make(bytes: 9), secret: SecureToken.make(bytes: 24))
    }

    static func parse(_ presented: String) -> APIKeyMaterial? {
        let parts = presented.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "cyk", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        return APIKeyMaterial(prefix: String(parts[1]), secret: String(parts[2]))
    }

    static func hash(_ secret: String) -> String {
        Hex.string(SHA256.hash(data: Data(secret.utf8)))
    }
}

/// Random URL-safe tokens from the system's secure generator, in base32 (no `_`, which the key
/// format uses as a separator).
public enum SecureToken {
    public static func make(bytes count: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return String((0..<(count * 8 / 5)).map { _ in Identifier.alphabet[Int(rng.next() & 31)] }).lowercased()
    }

    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
