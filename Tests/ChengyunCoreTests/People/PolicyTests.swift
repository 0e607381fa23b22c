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
        #expect(lockout.afterFailure(previousFailures: 0, now: 1000) == (1, nil))
        #expect(lockout.afterFailure(previousFailures: 1, now: 1000) == (2, nil))
        let third = lockout.afterFailure(previousFailures: 2, now: 1000)
        #expect(third.failures == 0)
        #expect(third.lockedUntil == 61_000)
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
