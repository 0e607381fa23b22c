import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

@Suite struct AuthServiceTests {
    static let password = "Pingjiang-2026"

    static func makeUser(_ platform: Platform, username: String = "inspector.a") async throws -> User {
        let city = try await platform.organisation.createArea(
            NewArea(code: "320500", name: "苏州市", level: .city, parentId: nil), by: .system)
        return try await platform.people.createUser(
            NewUser(
                username: username, displayName: "刘监督员", password: password,
                roles: [.inspector], areaId: city.id), by: .system)
    }

    @Test(arguments: TestBackend.available) func loginGivesASessionThatAuthenticates(backend: TestBackend) async throws
    {
        try await withPlatform(backend) { platform in
            let user = try await Self.makeUser(platform)
            let result = try await platform.auth.loginStaff(username: user.username, password: Self.password)
            #expect(result.principal.id == user.id)
            let principal = try await platform.auth.authenticate(token: result.token)
            #expect(principal?.id == user.id)
            #expect(principal?.roles == [.inspector])
            #expect(try await platform.auth.authenticate(token: "forged") == nil)
            try await platform.auth.logout(token: result.token, by: result.principal)
            #expect(try await platform.auth.authenticate(token: result.token) == nil)
        }
    }

    @Test(arguments: TestBackend.available) func repeatedFailuresLockTheAccountForAWhile(backend: TestBackend)
        async throws
    {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let user = try await Self.makeUser(platform)
            for attempt in 1...4 {
                await #expect(throws: DomainError.self, "attempt \(attempt)") {
                    try await platform.auth.loginStaff(username: user.username, password: "wrong-Password-1")
                }
            }
            // The fifth failure locks.
            do {
                _ = try await platform.auth.loginStaff(username: user.username, password: "wrong-Password-1")
                Issue.record("the fifth failure did not fail")
            } catch let error as DomainError {
                #expect(error.code == "invalid_credentials", "a locked account is refused like any other failure")
            }
            #expect(try await platform.people.user(id: user.id, by: .system).lockedUntil == clock.now + 15 * 60_000)
            // While locked, even the right password is refused.
            do {
                _ = try await platform.auth.loginStaff(username: user.username, password: Self.password)
                Issue.record("a locked account logged in")
            } catch let error as DomainError {
                #expect(error.code == "invalid_credentials")
            }
            clock.advance(minutes: 16)
            let result = try await platform.auth.loginStaff(username: user.username, password: Self.password)
            #expect(result.principal.id == user.id)
            let audit = try await platform.pool.read {
                try await AuditRepository().list(.init(targetId: user.id), beforeSeq: nil, limit: 50, on: $0)
            }
            // Five wrong passwords and the right one refused while locked: every attempt is audited.
            #expect(audit.filter { $0.action == "session.login_failed" }.count == 6)
            #expect(audit.contains { $0.action == "session.login_failed" && $0.summary == "refused: account locked" })
            #expect(audit.contains { $0.action == "user.locked" })
        }
    }

    @Test(arguments: TestBackend.available) func anAdministratorCanLiftALock(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let user = try await Self.makeUser(platform)
            for _ in 1...5 { _ = try? await platform.auth.loginStaff(username: user.username, password: "nope") }
            #expect(try await platform.people.user(id: user.id, by: .system).lockedUntil != nil)
            _ = try await platform.people.unlock(id: user.id, by: .system)
            #expect(
                try await platform.auth.loginStaff(username: user.username, password: Self.password).principal.id
                    == user.id)
        }
    }

    @Test(arguments: TestBackend.available) func sessionsExpire(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let user = try await Self.makeUser(platform)
            let result = try await platform.auth.loginStaff(username: user.username, password: Self.password)
            clock.advance(minutes: 11 * 60)
            #expect(try await platform.auth.authenticate(token: result.token) != nil)
            clock.advance(minutes: 2 * 60)
            #expect(try await platform.auth.authenticate(token: result.token) == nil)
        }
    }

    @Test(arguments: TestBackend.available) func apiKeysAuthenticateUntilRevoked(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let user = try await Self.makeUser(platform)
            let issued = try await platform.people.createAPIKey(
                NewAPIKey(
                    name: "gateway", scopes: [.telemetryWrite],
                    areaId: user.areaId), by: .system)
            #expect(issued.secret.hasPrefix("cyk_\(issued.key.prefix)_"))
            let principal = try await platform.auth.authenticate(apiKey: issued.secret)
            #expect(principal?.kind == .key)
            #expect(principal?.keyScopes == [.telemetryWrite])
            #expect(try await platform.auth.authenticate(apiKey: issued.secret + "x") == nil)
            #expect(try await platform.auth.authenticate(apiKey: "cyk_nothing_here") == nil)
            _ = try await platform.people.revokeAPIKey(id: issued.key.id, by: .system)
            #expect(try await platform.auth.authenticate(apiKey: issued.secret) == nil)
        }
    }

    @Test(arguments: TestBackend.available) func citizensLogInByPhone(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let citizen = try await platform.people.registerCitizen(
                NewCitizen(phone: "13900001111", displayName: "市民", password: "Citizen-2026"))
            let result = try await platform.auth.loginCitizen(phone: "13900001111", password: "Citizen-2026")
            #expect(result.principal == .citizen(citizen))
            #expect(try await platform.auth.authenticate(token: result.token)?.kind == .citizen)
            await #expect(throws: DomainError.self) {
                try await platform.people.registerCitizen(
                    NewCitizen(phone: "13900001111", displayName: "again", password: "Citizen-2026"))
            }
        }
    }
}
