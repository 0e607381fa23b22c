import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct SessionRoutesTests {
    @Test(arguments: TestBackend.available) func everyDemoRoleLogsIn(backend: TestBackend) async throws {
        try await withDemoClient(backend) { client, credentials, _ in
            for account in credentials.accounts {
                let answer = try await client.call(
                    .post, "/api/v1/session",
                    json: #"{"username":"\#(account.username)","password":"\#(account.password)"}"#)
                #expect(answer.status == .ok, "\(account.username)")
                #expect(answer.headers[.setCookie]?.contains("chengyun_session=") == true)
                #expect(answer.headers[.setCookie]?.contains("HttpOnly") == true)
                let token = try #require(answer.json["token"] as? String)
                let me = try await client.call(.get, "/api/v1/me", token: token)
                #expect(me.status == .ok)
                #expect(me.json["roles"] as? [String] == account.roles.map(\.rawValue).sorted())
            }
        }
    }

    @Test(arguments: TestBackend.available) func theSessionCookieAuthenticatesAndLogoutEndsIt(backend: TestBackend)
        async throws
    {
        try await withDemoClient(backend) { client, credentials, _ in
            let token = try await client.login("intake", credentials.password(of: "intake"))
            let cookie: HTTPFields = [.cookie: "chengyun_session=\(token)"]
            #expect(try await client.call(.get, "/api/v1/me", headers: cookie).status == .ok)
            // A browser says the write comes from the platform's own page (see WebHardeningTests).
            let logout = try await client.call(
                .delete, "/api/v1/session",
                headers: [.cookie: "chengyun_session=\(token)", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"])
            #expect(logout.status == .noContent)
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            let after = try await client.call(.get, "/api/v1/me", headers: cookie)
            #expect(after.status == .unauthorized)
            #expect(after.problemCode == "unauthenticated")
        }
    }

    @Test(arguments: TestBackend.available) func wrongPasswordsAnswerProblemJSON(backend: TestBackend) async throws {
        try await withDemoClient(backend) { client, _, _ in
            let answer = try await client.call(
                .post, "/api/v1/session", json: #"{"username":"dispatcher","password":"nope"}"#)
            #expect(answer.status == .unauthorized)
            #expect(answer.isProblem)
            #expect(answer.problemCode == "invalid_credentials")
            let unknown = try await client.call(
                .post, "/api/v1/session", json: #"{"username":"nobody","password":"nope"}"#)
            #expect(unknown.problemCode == "invalid_credentials", "an unknown user looks the same as a wrong password")
        }
    }

    @Test(arguments: TestBackend.available) func theFifthFailureLocksTheAccount(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let user = try await AuthFixtures.user(platform)
            try await testApplication(platform).test(.router) { client in
                for _ in 1...4 {
                    let answer = try await client.call(
                        .post, "/api/v1/session", json: #"{"username":"\#(user.username)","password":"wrong"}"#)
                    #expect(answer.status == .unauthorized)
                }
                let fifth = try await client.call(
                    .post, "/api/v1/session", json: #"{"username":"\#(user.username)","password":"wrong"}"#)
                // The caller is not told the account is locked (that would say it exists); the store is.
                #expect(fifth.status == .unauthorized && fifth.problemCode == "invalid_credentials")
                let stored = try await platform.pool.read { try await UserRepository().find(id: user.id, on: $0) }
                #expect(stored?.lockedUntil != nil)
                let right = try await client.call(
                    .post, "/api/v1/session",
                    json: #"{"username":"\#(user.username)","password":"\#(AuthFixtures.password)"}"#)
                #expect(
                    right.status == .unauthorized && right.problemCode == "invalid_credentials",
                    "locked accounts refuse even the right password")
            }
        }
    }

    @Test(arguments: TestBackend.available) func citizensRegisterAndLogIn(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            try await testApplication(platform).test(.router) { client in
                let created = try await client.call(
                    .post, "/api/v1/citizens",
                    json: #"{"phone":"13912345678","displayName":"市民","password":"Citizen-2026"}"#)
                #expect(created.status == .created)
                let login = try await client.call(
                    .post, "/api/v1/citizen-session", json: #"{"phone":"13912345678","password":"Citizen-2026"}"#)
                #expect(login.status == .ok)
                let token = try #require(login.json["token"] as? String)
                let me = try await client.call(.get, "/api/v1/me", token: token)
                #expect(me.json["kind"] as? String == "citizen")
                // A citizen is not staff.
                #expect(try await client.call(.get, "/api/v1/areas", token: token).status == .forbidden)
            }
        }
    }

    @Test(arguments: TestBackend.available) func apiKeysAuthenticateByHeader(backend: TestBackend) async throws {
        try await withDemoClient(backend) { client, credentials, _ in
            let me = try await client.call(.get, "/api/v1/me", headers: [.init("X-API-Key")!: credentials.apiKey])
            #expect(me.status == .ok)
            #expect(me.json["kind"] as? String == "key")
            let bearer = try await client.call(.get, "/api/v1/me", token: credentials.apiKey)
            #expect(bearer.json["kind"] as? String == "key")
            let bad = try await client.call(
                .get, "/api/v1/me", headers: [.init("X-API-Key")!: credentials.apiKey + "x"])
            #expect(bad.status == .unauthorized)
            // Keys hold no staff role.
            #expect(try await client.call(.get, "/api/v1/areas", token: credentials.apiKey).status == .forbidden)
        }
    }
}

enum AuthFixtures {
    static let password = "Fixture-Pass-2026"

    static func user(_ platform: Platform, roles: [Role] = [.inspector]) async throws -> User {
        let city = try await platform.organisation.createArea(
            NewArea(code: "320500", name: "苏州市", level: .city, parentId: nil), by: .system)
        return try await platform.people.createUser(
            NewUser(
                username: "fixture.user", displayName: "测试", password: password,
                roles: roles, areaId: city.id), by: .system)
    }
}
