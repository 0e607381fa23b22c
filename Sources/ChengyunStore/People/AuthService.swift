import ChengyunCore
import SQLKit

/// Login, sessions, lockout and key authentication.
public struct AuthService: Sendable {
    let platform: Platform
    let users = UserRepository()
    let citizens = CitizenRepository()
    let sessions = SessionRepository()
    let keys = APIKeyRepository()

    public struct LoginResult: Sendable {
        public var token: String
        public var expiresAt: Int64
        public var principal: Principal
        public var user: User?
        public var citizen: Citizen?
    }

    static func invalidCredentials() -> DomainError {
        DomainError(.unauthenticated, code: "invalid_credentials", "The username or password is not right.")
    }

    static func locked(until: Int64) -> DomainError {
        DomainError(.locked, code: "account_locked",
                    "Too many failed logins: the account is locked until \(until) (epoch ms).")
    }

    /// Staff login. A wrong password counts towards the lockout; a locked account is refused
    /// without looking at the password.
    public func loginStaff(username: String, password: String) async throws -> LoginResult {
        let found = try await platform.pool.read { try await users.findWithHash(username: username, on: $0) }
        guard let (user, hash) = found else {
            _ = try await platform.hasher.verify(password, hash: PasswordHasher.decoy)
            try await recordAnonymousFailure(username: username)
            throw Self.invalidCredentials()
        }
        let now = platform.now()
        if let lockedUntil = user.lockedUntil, lockedUntil > now { throw Self.locked(until: lockedUntil) }
        let valid = try await platform.hasher.verify(password, hash: hash)
        let actor = Principal.staff(user)
        if !valid || !user.active {
            let lockedUntil = try await platform.write(actor, "session.login_failed", target: "user",
                                                       summary: { _ in (user.id, user.active ? "wrong password" : "inactive account") }) { db -> Int64? in
                // Re-read inside the transaction so concurrent failures all count.
                let current = try await users.find(id: user.id, on: db)?.failedAttempts ?? user.failedAttempts
                let outcome = platform.settings.lockout.afterFailure(previousFailures: current, now: now)
                try await users.recordLogin(userId: user.id, failures: outcome.failures, lockedUntil: outcome.lockedUntil,
                                            loggedInAt: nil, on: db)
                if let until = outcome.lockedUntil {
                    try await AuditRepository().append(.init(actor: .system, action: "user.locked", targetType: "user",
                                                             targetId: user.id, summary: "\(user.username) locked until \(until)"),
                                                       at: now, on: db)
                }
                return outcome.lockedUntil
            }
            if let lockedUntil { throw Self.locked(until: lockedUntil) }
            throw Self.invalidCredentials()
        }
        let (token, expiresAt) = try await platform.write(actor, "session.login", target: "user",
                                                          summary: { _ in (user.id, "logged in") }) { db in
            try await users.recordLogin(userId: user.id, failures: 0, lockedUntil: nil, loggedInAt: now, on: db)
            try await sessions.deleteExpired(now: now, on: db)
            return try await openSession(.staff, subjectId: user.id, at: now, on: db)
        }
        return LoginResult(token: token, expiresAt: expiresAt, principal: actor, user: user, citizen: nil)
    }

    private func recordAnonymousFailure(username: String) async throws {
        let anonymous = Principal(kind: .staff, id: "anonymous", name: String(username.prefix(40)), scope: nil)
        _ = try await platform.write(anonymous, "session.login_failed", target: "user",
                                     summary: { _ in ("", "unknown username") }) { _ in () }
    }

    /// Citizen login by phone number, with the same lockout.
    public func loginCitizen(phone: String, password: String) async throws -> LoginResult {
        let found = try await platform.pool.read { try await citizens.findWithHash(phone: phone, on: $0) }
        guard let (citizen, hash) = found else {
            _ = try await platform.hasher.verify(password, hash: PasswordHasher.decoy)
            throw Self.invalidCredentials()
        }
        let now = platform.now()
        if let lockedUntil = citizen.lockedUntil, lockedUntil > now { throw Self.locked(until: lockedUntil) }
        let actor = Principal.citizen(citizen)
        guard try await platform.hasher.verify(password, hash: hash) else {
            let lockedUntil = try await platform.write(actor, "session.login_failed", target: "citizen",
                                                       summary: { _ in (citizen.id, "wrong password") }) { db -> Int64? in
                let current = try await citizens.find(id: citizen.id, on: db)?.failedAttempts ?? 0
                let outcome = platform.settings.lockout.afterFailure(previousFailures: current, now: now)
                try await citizens.recordLogin(citizenId: citizen.id, failures: outcome.failures,
                                               lockedUntil: outcome.lockedUntil, on: db)
                return outcome.lockedUntil
            }
            if let lockedUntil { throw Self.locked(until: lockedUntil) }
            throw Self.invalidCredentials()
        }
        let (token, expiresAt) = try await platform.write(actor, "session.login", target: "citizen",
                                                          summary: { _ in (citizen.id, "logged in") }) { db in
            try await citizens.recordLogin(citizenId: citizen.id, failures: 0, lockedUntil: nil, on: db)
            return try await openSession(.citizen, subjectId: citizen.id, at: now, on: db)
        }
        return LoginResult(token: token, expiresAt: expiresAt, principal: actor, user: nil, citizen: citizen)
    }

    /// A new session for the subject; only the token's hash is stored.
    private func openSession(_ kind: Principal.Kind, subjectId: String, at now: Int64,
                             on db: any SQLDatabase) async throws -> (token: String, expiresAt: Int64) {
        let token = SecureToken.make(bytes: 30)
        let expiresAt = now + platform.settings.sessionMillis
        try await sessions.insert(.init(tokenHash: APIKeyMaterial.hash(token), subjectKind: kind, subjectId: subjectId,
                                        createdAt: now, expiresAt: expiresAt), on: db)
        return (token, expiresAt)
    }

    /// The principal behind a session token, if the session is live and the account active.
    public func authenticate(token: String) async throws -> Principal? {
        let now = platform.now()
        return try await platform.pool.read { db -> Principal? in
            guard let session = try await sessions.find(tokenHash: APIKeyMaterial.hash(token), on: db),
                  session.expiresAt > now else { return nil }
            switch session.subjectKind {
            case .staff:
                guard let user = try await users.find(id: session.subjectId, on: db), user.active else { return nil }
                return .staff(user)
            case .citizen:
                return try await citizens.find(id: session.subjectId, on: db).map { .citizen($0) }
            case .key:
                return nil
            }
        }
    }

    /// The principal behind a presented machine key, if it is valid and not revoked.
    public func authenticate(apiKey presented: String) async throws -> Principal? {
        guard let material = APIKeyMaterial.parse(presented) else { return nil }
        let found = try await platform.pool.read { try await keys.findWithHash(prefix: material.prefix, on: $0) }
        guard let (key, hash) = found, key.revokedAt == nil,
              SecureToken.constantTimeEqual(hash, material.secretHash) else { return nil }
        return .key(key)
    }

    public func logout(token: String, by actor: Principal) async throws {
        _ = try await platform.write(actor, "session.logout", target: actor.kind == .citizen ? "citizen" : "user",
                                     summary: { _ in (actor.id, "logged out") }) { db in
            try await sessions.delete(tokenHash: APIKeyMaterial.hash(token), on: db)
        }
    }
}
