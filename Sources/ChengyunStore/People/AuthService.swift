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

    /// The one answer to a refused login, whatever the reason (unknown name, wrong password,
    /// inactive or locked account), so a caller learns nothing about which accounts exist.
    static func invalidCredentials() -> DomainError {
        DomainError(
            .unauthenticated, code: "invalid_credentials",
            "The username or password is not right, or the account is locked after repeated failures.")
    }

    /// Staff login. The password is checked first (the same bcrypt work for every caller); the
    /// attempt is then settled in one transaction that re-reads the lock, so a right password
    /// is refused while the account is locked.
    public func loginStaff(username: String, password: String) async throws -> LoginResult {
        let found = try await platform.pool.read { try await users.findWithHash(username: username, on: $0) }
        let (user, hash) = try await known(found, name: username, password: password)
        let valid = try await platform.hasher.verify(password, hash: hash) && user.active
        let actor = Principal.staff(user)
        let (token, expiresAt) = try await settle(
            LoginAttempts(table: .users), id: user.id, name: user.username, valid: valid,
            failure: user.active ? "wrong password" : "inactive account", actor: actor)
        return LoginResult(token: token, expiresAt: expiresAt, principal: actor, user: user, citizen: nil)
    }

    /// Citizen login by phone number, with the same lockout.
    public func loginCitizen(phone: String, password: String) async throws -> LoginResult {
        let found = try await platform.pool.read { try await citizens.findWithHash(phone: phone, on: $0) }
        let (citizen, hash) = try await known(found, name: phone, password: password)
        let valid = try await platform.hasher.verify(password, hash: hash)
        let actor = Principal.citizen(citizen)
        let (token, expiresAt) = try await settle(
            LoginAttempts(table: .citizens), id: citizen.id, name: citizen.id, valid: valid,
            failure: "wrong password", actor: actor)
        return LoginResult(token: token, expiresAt: expiresAt, principal: actor, user: nil, citizen: citizen)
    }

    /// The account found with its hash; for an unknown name, the same bcrypt work as a known one
    /// (so timing tells nothing), the attempt recorded, and the one answer for every failure.
    private func known<Account>(_ found: (Account, String)?, name: String, password: String) async throws
        -> (Account, String)
    {
        guard let found else {
            _ = try await platform.hasher.verify(password, hash: try await platform.hasher.decoy())
            try await recordUnknownName(name)
            throw Self.invalidCredentials()
        }
        return found
    }

    /// Records one login attempt and its audit entry in a single transaction: a session when it
    /// is accepted, a counted failure (and the lock it may earn) when not.
    private func settle(
        _ attempts: LoginAttempts, id: String, name: String, valid: Bool, failure: String,
        actor: Principal
    ) async throws -> (token: String, expiresAt: Int64) {
        let now = platform.now()
        let policy = platform.settings.lockout
        let target = attempts.table == .users ? "user" : "citizen"
        let audit = platform.auditLog
        let opened = try await platform.pool.transaction { db -> (token: String, expiresAt: Int64)? in
            let decision = policy.decide(
                passwordValid: valid, lockedUntil: try await attempts.lockedUntil(id: id, on: db), now: now)
            switch decision {
            case .accepted:
                guard try await attempts.succeeded(id: id, at: now, on: db) else {
                    try await audit.append(
                        .init(
                            actor: actor, action: "session.login_failed", targetType: target, targetId: id,
                            summary: "refused: account locked"), at: now, on: db)
                    return nil
                }
                try await sessions.deleteExpired(now: now, on: db)
                let session = try await openSession(actor.kind, subjectId: id, at: now, on: db)
                try await audit.append(
                    .init(
                        actor: actor, action: "session.login", targetType: target, targetId: id,
                        summary: "logged in"), at: now, on: db)
                return session
            case .refusedWhileLocked:
                try await audit.append(
                    .init(
                        actor: actor, action: "session.login_failed", targetType: target, targetId: id,
                        summary: "refused: account locked"), at: now, on: db)
                return nil
            case .failed:
                let counted = try await attempts.countFailure(id: id, policy: policy, now: now, on: db)
                try await audit.append(
                    .init(
                        actor: actor, action: "session.login_failed", targetType: target, targetId: id,
                        summary: counted == .alreadyLocked ? "refused: account locked" : failure), at: now, on: db)
                if case .lockedNow(let lockedUntil) = counted {
                    try await audit.append(
                        .init(
                            actor: .system, action: "\(target).locked", targetType: target, targetId: id,
                            summary: "\(name) locked until \(lockedUntil)"), at: now, on: db)
                }
                return nil
            }
        }
        guard let opened else { throw Self.invalidCredentials() }
        return opened
    }

    /// Failed logins under names no account has are summarised, not written one entry each: the
    /// first of each minute is written with the count of those before it that were only tallied.
    /// Every such failure still commits a write (a counter), as a wrong password does, so the
    /// time a refusal takes does not tell whether the name exists.
    private func recordUnknownName(_ name: String) async throws {
        let now = platform.now()
        let summary = platform.unknownLogins.summary(name: name, at: now)
        let anonymous = Principal(kind: .staff, id: "anonymous", name: String(name.prefix(40)), scope: nil)
        try await platform.pool.transaction { db in
            try await db.raw("UPDATE unknown_logins SET failures = failures + 1 WHERE id = 1").run()
            if let summary {
                try await platform.auditLog.append(
                    .init(
                        actor: anonymous, action: "session.login_failed", targetType: "user",
                        targetId: "", summary: summary), at: now, on: db)
            }
        }
    }

    /// A new session for the subject; only the token's hash is stored.
    private func openSession(
        _ kind: Principal.Kind, subjectId: String, at now: Int64,
        on db: any SQLDatabase
    ) async throws -> (token: String, expiresAt: Int64) {
        let token = SecureToken.make(bytes: 30)
        let expiresAt = now + platform.settings.sessionMillis
        try await sessions.insert(
            .init(
                tokenHash: APIKeyMaterial.hash(token), subjectKind: kind, subjectId: subjectId,
                createdAt: now, expiresAt: expiresAt), on: db)
        return (token, expiresAt)
    }

    /// The principal behind a session token, if the session is live and the account active.
    public func authenticate(token: String) async throws -> Principal? {
        let now = platform.now()
        return try await platform.pool.read { db -> Principal? in
            guard let (session, user) = try await users.findSession(tokenHash: APIKeyMaterial.hash(token), on: db),
                session.expiresAt > now
            else { return nil }
            switch session.subjectKind {
            case .staff:
                guard let user, user.active else { return nil }
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
        guard let (key, hash) = found, key.revokedAt == nil, (key.expiresAt ?? .max) > platform.now(),
            SecureToken.constantTimeEqual(hash, material.secretHash)
        else { return nil }
        return .key(key)
    }

    public func logout(token: String, by actor: Principal) async throws {
        _ = try await platform.write(
            actor, "session.logout", target: actor.kind == .citizen ? "citizen" : "user",
            summary: { _ in (actor.id, "logged out") }
        ) { db in
            try await sessions.delete(tokenHash: APIKeyMaterial.hash(token), on: db)
        }
    }
}
