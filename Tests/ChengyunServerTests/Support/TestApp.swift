import ChengyunCore
import ChengyunServer
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// An application on a platform, tested through Hummingbird's router test client.
func testApplication(_ platform: Platform, web: WebSettings = WebSettings()) -> some ApplicationProtocol {
    Application(
        router: buildRouter(platform: platform, web: web),
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        logger: quietLogger)
}

/// Runs `body` against the shared demo city of `backend`.
func withDemoClient(
    _ backend: TestBackend,
    _ body: @Sendable (any TestClientProtocol, DemoCity.Credentials, Platform) async throws -> Void
) async throws {
    let (platform, credentials) = try await DemoFixture.shared.platform(backend)
    try await testApplication(platform).test(.router) { client in try await body(client, credentials, platform) }
}

struct HTTPAnswer {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Data

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var problemCode: String? { json["code"] as? String }
    var isProblem: Bool { headers[.contentType]?.hasPrefix("application/problem+json") == true }
    var text: String { String(decoding: body, as: UTF8.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
}

extension TestClientProtocol {
    /// One request; `token` goes in as a bearer token, `json` as the body.
    func call(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> HTTPAnswer {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        let body = json.map { ByteBuffer(string: $0) }
        return try await execute(uri: path, method: method, headers: headers, body: body) { response in
            HTTPAnswer(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    /// Logs in and returns the bearer token.
    func login(_ username: String, _ password: String) async throws -> String {
        let answer = try await call(
            .post, "/api/v1/session", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        guard answer.status == .ok, let token = answer.json["token"] as? String else {
            throw LoginFailed(detail: "\(username): \(answer.status) \(answer.text)")
        }
        return token
    }
}

struct LoginFailed: Error, CustomStringConvertible { var detail: String; var description: String { detail } }

/// The API routes the router really serves, as "METHOD /path" with `{id}` captures.
func registeredRoutes(_ platform: Platform) -> [(method: String, path: String)] {
    buildRouter(platform: platform).routes.map { ($0.method.rawValue, $0.path.description) }
}
