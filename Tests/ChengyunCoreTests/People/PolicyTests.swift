import ChengyunCore
import Testing

@Suite struct PolicyTests {
    let policy = PasswordPolicy()

    @Test func strongPasswordsPass() {
        #expect(policy.issues(password: "Chengyun-2026", username: "admin").isEmpty)
        #expect(policy.issues(password: "abcDEF123", username: "admin").isEmpty)
    }

    @Test func weakPasswordsAreRefusedWithReasons() {
        #expect(policy.issues(password: "Ab1", username: "u").map(\.code) == ["password_too_short"])
        #expect(policy.issues(password: "abcdefghij", username: "u").map(\.code) == ["password_too_simple"])
        #expect(policy.issues(password: "Admin12345", username: "admin12345").map(\.code) == ["password_is_username"])
    }

    @Test func lockoutAfterTheConfiguredNumberOfFailures() {
        let lockout = LockoutPolicy(maxFailures: 3, lockMillis: 60_000)
        #expect(lockout.lock(afterFailures: 1, now: 1000) == nil)
        #expect(lockout.lock(afterFailures: 2, now: 1000) == nil)
        #expect(lockout.lock(afterFailures: 3, now: 1000) == 61_000)
        #expect(lockout.lock(afterFailures: 7, now: 1000) == 61_000)
    }

    @Test func aLockedAccountRefusesEvenTheRightPassword() {
        let lockout = LockoutPolicy(maxFailures: 3, lockMillis: 60_000)
        #expect(lockout.decide(passwordValid: true, lockedUntil: 61_000, now: 1000) == .refusedWhileLocked)
        #expect(lockout.decide(passwordValid: false, lockedUntil: 61_000, now: 1000) == .refusedWhileLocked)
        #expect(
            lockout.decide(passwordValid: true, lockedUntil: 61_000, now: 61_000) == .accepted,
            "the lock ends at its end")
        #expect(lockout.decide(passwordValid: false, lockedUntil: nil, now: 1000) == .failed)
        #expect(lockout.decide(passwordValid: true, lockedUntil: nil, now: 1000) == .accepted)
    }

    @Test func usernames() {
        #expect(User.isValidUsername("inspector.pingjiang"))
        #expect(!User.isValidUsername("ab"))
        #expect(!User.isValidUsername("has space"))
        #expect(Citizen.isValidPhone("13800000000"))
        #expect(!Citizen.isValidPhone("23800000000"))
    }

    @Test func principalScopeIsAPathPrefix() {
        let street = AreaScope(areaId: "s", path: "/c/d/s/")
        let inspector = Principal(kind: .staff, id: "u", name: "u", roles: [.inspector], scope: street)
        #expect(inspector.canSee(path: "/c/d/s/"))
        #expect(inspector.canSee(path: "/c/d/s/community/"))
        #expect(!inspector.canSee(path: "/c/d/other/"))
        #expect(!inspector.canSee(path: "/c/d/"))
        #expect(Principal.system.canSee(path: "/anything/"))
        #expect(!Principal(kind: .citizen, id: "c", name: "c", scope: nil).canSee(path: "/c/"))
    }
}
