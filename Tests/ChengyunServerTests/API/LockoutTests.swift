import ChengyunCore
import ChengyunServer
import ChengyunStore
import ChengyunTestSupport
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import Testing

/// Accounts and sessions, attacked through a live server: parallel guessing does not wear the
/// lockout down, a locked account looks like any refused login, a password change ends the
/// other sessions, and logins are rate limited per address and account.
@Suite struct LockoutTests {
    @Test(arguments: TestBackend.available) func parallelGuessesLockOnceAndTheRightPasswordWaits(backend: TestBackend)
        async throws
    {
        let clock = TestClock(EpochMillis.now())
        try await withPlatform(backend, clock: clock) { platform in
            let user = try await AuthFixtures.user(platform)
            var web = WebSettings()
            (web.loginsPerMinutePerAddress, web.loginsPerMinutePerAccount) = (10_000, 10_000)
            try await testApplication(platform, web: web).test(.live) { client in
                let port = try #require(client.port)
                // 40 wrong passwords, 8 in flight at a time, on separate connections.
                var statuses: [Int] = []
                for _ in 0..<5 {
                    statuses += try await withThrowingTaskGroup(of: Int.self) { group in
                        for _ in 0..<8 {
                            group.addTask { try await Self.login(port: port, user.username, "Wrong-Guess-1") }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                }
                #expect(statuses.allSatisfy { $0 == 401 }, "\(statuses)")
                // The right password while locked is refused, the same way.
                let right = try await Self.login(port: port, user.username, AuthFixtures.password)
                #expect(right == 401, "the right password got in while the account was locked")
                let stored = try #require(
                    try await platform.pool.read { try await UserRepository().find(id: user.id, on: $0) })
                #expect(stored.lockedUntil.map { $0 > clock.now } == true)
                let locks = try await platform.pool.read { db in
                    try await db.select().column("id").from("audit_log").where("action", .equal, "user.locked").all()
                        .count
                }
                #expect(locks == 1, "the account was locked \(locks) times: guesses in flight re-locked or unlocked it")
                // Once the lock has run out the right password works.
                clock.advance(minutes: 16)
                #expect(try await Self.login(port: port, user.username, AuthFixtures.password) == 200)
            }
        }
    }

    @Test(arguments: TestBackend.available) func unknownAndLockedAccountsLookTheSame(backend: TestBackend) async throws
    {
        try await withPlatform(backend) { platform in
            let user = try await AuthFixtures.user(platform)
            try await testApplication(platform).test(.router) { client in
                for _ in 0..<5 {
                    _ = try await client.call(
                        .post, "/api/v1/session", json: #"{"username":"\#(user.username)","password":"wrong"}"#)
                }
                let locked = try await client.call(
                    .post, "/api/v1/session",
                    json: #"{"username":"\#(user.username)","password":"\#(AuthFixtures.password)"}"#)
                let unknown = try await client.call(
                    .post, "/api/v1/session", json: #"{"username":"no.such.user","password":"wrong"}"#)
                #expect(locked.status == unknown.status && locked.status == .unauthorized)
                #expect(locked.text == unknown.text, "a caller can tell a locked account from an unknown one")
            }
        }
    }

    @Test(arguments: TestBackend.available) func changingOnesPasswordEndsTheOtherSessions(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let user = try await AuthFixtures.user(platform)
            try await testApplication(platform).test(.router) { client in
                let elsewhere = try await client.login(user.username, AuthFixtures.password)
                let here = try await client.login(user.username, AuthFixtures.password)
                let change = try await client.call(
                    .post, "/api/v1/me/password", token: here,
                    json: #"{"currentPassword":"\#(AuthFixtures.password)","newPassword":"Another-Pass-2027"}"#)
                #expect(change.status == .noContent, "\(change.text)")
                #expect(
                    try await client.call(.get, "/api/v1/me", token: here).status == .ok,
                    "the session it was changed in stays")
                #expect(try await client.call(.get, "/api/v1/me", token: elsewhere).status == .unauthorized)
            }
        }
    }

    @Test func loginsAreRateLimitedPerAccount() async throws {
        try await withPlatform(.sqlite) { platform in
            let user = try await AuthFixtures.user(platform)
            var web = WebSettings()
            web.loginsPerMinutePerAccount = 3
            try await testApplication(platform, web: web).test(.router) { client in
                var answers: [HTTPAnswer] = []
                for _ in 0..<4 {
                    answers.append(
                        try await client.call(
                            .post, "/api/v1/session", json: #"{"username":"\#(user.username)","password":"wrong"}"#))
                }
                #expect(answers.prefix(3).allSatisfy { $0.status == .unauthorized })
                let limited = try #require(answers.last)
                #expect(limited.status == .tooManyRequests && limited.problemCode == "rate_limited")
                #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            }
        }
    }

    /// One login on a connection of its own; the HTTP status.
    static func login(port: Int, _ username: String, _ password: String) async throws -> Int {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/session")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"username":"\#(username)","password":"\#(password)"}"#.utf8)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 1
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let (_, response) = try await session.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}

/// Refusals for unknown names commit a write as wrong passwords do (a counter), and reach the
/// audit log as one summary a minute, not an entry each.
@Suite struct UnknownNameTests {
    @Test(arguments: TestBackend.available) func unknownNamesAreCountedAndSummarised(backend: TestBackend) async throws
    {
        try await withPlatform(backend) { platform in
            try await testApplication(platform).test(.router) { client in
                for name in ["root", "administrator", "test"] {
                    let answer = try await client.call(
                        .post, "/api/v1/session", json: #"{"username":"\#(name)","password":"x"}"#)
                    #expect(answer.status == .unauthorized && answer.problemCode == "invalid_credentials")
                }
            }
            let counted = try await platform.pool.read { db in
                try await db.raw("SELECT failures FROM unknown_logins WHERE id = 1").first()?.decode(
                    column: "failures", as: Int.self)
            }
            #expect(counted == 3)
            let entries = try await platform.pool.read {
                try await platform.auditLog.list(.init(actorId: "anonymous"), beforeSeq: nil, limit: 10, on: $0)
            }
            #expect(
                entries.count == 1 && entries.first?.summary == "unknown username root", "\(entries.map(\.summary))")
        }
    }
}
