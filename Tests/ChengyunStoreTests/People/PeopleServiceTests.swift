import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

@Suite struct PeopleServiceTests {
    @Test(arguments: TestBackend.available) func userRulesAreChecked(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let city = try await platform.organisation.createArea(
                NewArea(code: "320500", name: "苏州市", level: .city, parentId: nil), by: .system)
            do {
                _ = try await platform.people.createUser(
                    NewUser(
                        username: "x", displayName: "", password: "short", roles: [],
                        areaId: city.id), by: .system)
                Issue.record("an invalid user was accepted")
            } catch let error as DomainError {
                #expect(
                    Set(error.issues.map(\.code)) == [
                        "invalid_username", "required", "password_too_short", "password_too_simple",
                    ])
            }
            do {
                _ = try await platform.people.createUser(
                    NewUser(
                        username: "handler.x", displayName: "处置员", password: "Handler-2026",
                        roles: [.handler], areaId: city.id), by: .system)
                Issue.record("a handler without a department was accepted")
            } catch let error as DomainError {
                #expect(error.issues.map(\.field) == ["departmentId"])
            }
            let user = try await platform.people.createUser(
                NewUser(
                    username: "leader.x", displayName: "领导", password: "Leader-2026",
                    roles: [.leader, .supervisor], areaId: city.id), by: .system)
            #expect(user.roles == [.supervisor, .leader])
            let changed = try await platform.people.updateUser(
                id: user.id, UserChange(roles: [.leader], active: false), by: .system)
            #expect(changed.roles == [.leader])
            #expect(!changed.active)
            await #expect(throws: DomainError.self) {
                try await platform.people.createUser(
                    NewUser(
                        username: "leader.x", displayName: "again", password: "Leader-2026",
                        roles: [.leader], areaId: city.id), by: .system)
            }
            // An inactive account cannot log in.
            await #expect(throws: DomainError.self) {
                try await platform.auth.loginStaff(username: "leader.x", password: "Leader-2026")
            }
        }
    }

    @Test(arguments: TestBackend.available) func passwordsChangeAndEndSessions(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let user = try await AuthServiceTests.makeUser(platform)
            let session = try await platform.auth.loginStaff(
                username: user.username, password: AuthServiceTests.password)
            _ = try await platform.people.resetPassword(id: user.id, to: "Reset-Password-9", by: .system)
            #expect(try await platform.auth.authenticate(token: session.token) == nil)
            let again = try await platform.auth.loginStaff(username: user.username, password: "Reset-Password-9")
            try await platform.people.changeOwnPassword(
                PasswordChange(currentPassword: "Reset-Password-9", newPassword: "Own-Choice-2026"),
                by: again.principal)
            _ = try await platform.auth.loginStaff(username: user.username, password: "Own-Choice-2026")
            await #expect(throws: DomainError.self) {
                try await platform.people.changeOwnPassword(
                    PasswordChange(currentPassword: "wrong", newPassword: "Another-2026"),
                    by: again.principal)
            }
        }
    }
}
