import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

extension TestClientProtocol {
    /// A request with a raw body of its own content type (files, CSV).
    func call(
        _ method: HTTPRequest.Method, _ path: String, token: String, headers: HTTPFields, body: String
    ) async throws -> HTTPAnswer {
        try await call(method, path, token: token, headers: headers, body: Data(body.utf8))
    }

    func call(
        _ method: HTTPRequest.Method, _ path: String, token: String, headers: HTTPFields, body: Data
    ) async throws -> HTTPAnswer {
        var headers = headers
        headers[.authorization] = "Bearer \(token)"
        return try await execute(uri: path, method: method, headers: headers, body: ByteBuffer(bytes: body)) {
            response in
            HTTPAnswer(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }
}
