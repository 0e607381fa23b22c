import ChengyunCore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The exchange's routing (服务路由): a call to a registered, published service goes through the
/// platform, which decides who may make it exactly as it decides who reads a dataset's records
/// (its owner and the centre; any staff when shared unconditionally; else a grant, a department's
/// or its key's), counts a grant's call against its rate and daily quota, logs every call, and only
/// then forwards it below the service's base URL. The caller's credentials never go upstream;
/// the upstream learns the grant (`X-Chengyun-Grant`) and the consumer. Redirects are not
/// followed, and an answer over 10 MB is not passed on.
public struct ServiceGateway: Sendable {
    let platform: Platform
    public static let maxAnswerBytes = 10 << 20
    public static let maxBodyBytes = 1 << 20

    public init(platform: Platform) { self.platform = platform }

    public struct Call: Sendable {
        public var method: ServiceMethod
        /// The path below the service's base, as sent (percent-encoded).
        public var path: String
        public var query: String?
        public var body: Data?
        public var contentType: String?
        public var accept: String?

        public init(
            method: ServiceMethod, path: String, query: String?, body: Data? = nil, contentType: String? = nil,
            accept: String? = nil
        ) {
            (self.method, self.path, self.query, self.body) = (method, path, query, body)
            (self.contentType, self.accept) = (contentType, accept)
        }
    }

    public struct Answer: Sendable {
        public var status: Int
        public var contentType: String?
        public var body: Data
    }

    public func call(code: String, _ call: Call, by actor: Principal) async throws -> Answer {
        let readable = try await platform.datasetRecords.readable(code, by: actor, service: true)
        guard let endpoint = readable.dataset.service else { throw DomainError.notFound("Service \(code)") }
        // Reviewed and published first, for everyone: a draft's URL has not been looked at.
        guard readable.dataset.state == .published, WebhookPolicy.isAcceptable(url: endpoint.url) else {
            throw DomainError(.conflict, code: "not_published", "\(code) is called once it is published.")
        }
        guard endpoint.methods.contains(call.method) else {
            throw DomainError(
                .invalid, code: "method_not_offered",
                "\(code) takes \(endpoint.methods.map(\.rawValue).joined(separator: " and ")).")
        }
        guard let target = endpoint.target(path: call.path, query: call.query), let url = URL(string: target) else {
            throw DomainError(.invalid, code: "invalid_path", "The path stays below the service: no . or .. segments.")
        }
        guard await OutboundAddress.admits(url) else {
            throw DomainError(
                .badGateway, code: "upstream_forbidden",
                "\(code)'s host stands for a link-local or unspecified address, which the platform never calls.")
        }
        // Every call is logged: by its grant, metered; else (its owner's, say) as it is.
        let operation = "\(call.method.rawValue) /\(call.path)"
        if let grant = readable.grant {
            try await platform.exchange.admit(grant, by: actor, operation: operation)
        } else {
            await platform.exchange.logUnmetered(datasetId: readable.dataset.id, by: actor, operation: operation)
        }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = call.method.rawValue
        if call.method == .POST {
            request.httpBody = call.body ?? Data()
            request.setValue(call.contentType ?? "application/json", forHTTPHeaderField: "content-type")
        }
        if let accept = call.accept { request.setValue(accept, forHTTPHeaderField: "accept") }
        if let grant = readable.grant {
            request.setValue(grant.id, forHTTPHeaderField: "X-Chengyun-Grant")
            request.setValue(
                Self.headerSafe(grant.system.map { "\(grant.consumer) · \($0)" } ?? grant.consumer),
                forHTTPHeaderField: "X-Chengyun-Consumer")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await Self.session.data(for: request)
        } catch {
            if (error as? URLError)?.code == .timedOut {
                throw DomainError(.gatewayTimeout, code: "upstream_timeout", "\(code) did not answer in time.")
            }
            throw DomainError(.badGateway, code: "upstream_unreachable", "\(code) could not be reached.")
        }
        guard let http = response as? HTTPURLResponse else {
            throw DomainError(.badGateway, code: "upstream_unreachable", "\(code) did not answer over HTTP.")
        }
        guard data.count <= Self.maxAnswerBytes else {
            throw DomainError(.badGateway, code: "upstream_too_large", "\(code) answered more than 10 MB.")
        }
        guard http.statusCode < 500, !(300..<400).contains(http.statusCode) else {
            throw DomainError(
                .badGateway, code: "upstream_failed", "\(code) answered HTTP \(http.statusCode).")
        }
        return Answer(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "content-type"), body: data)
    }

    /// Header values are ASCII here: anything else is percent-encoded.
    static func headerSafe(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(.init(charactersIn: "%"))) ?? ""
    }

    /// At most 10 s without a byte and 30 s in all; redirects refused, nothing cached.
    static let session = URLSession.outbound(idle: 10, total: 30)
}
