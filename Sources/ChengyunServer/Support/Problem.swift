import ChengyunCore
import ChengyunStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// An RFC 9457 problem document with a stable `code`, the only shape errors leave the API in.
struct Problem: Error, Encodable, Sendable {
    var type: String
    var title: String
    var status: Int
    var code: String
    var detail: String
    var errors: [FieldIssue]?
    /// Where a reader refused may go on from, when there is such a place.
    var nextCursor: String?
    /// Sent as the `Retry-After` header (rate limits), not in the document.
    var retryAfterSeconds: Int?

    enum CodingKeys: String, CodingKey { case type, title, status, code, detail, errors, nextCursor }

    init(status: HTTPResponse.Status, code: ErrorCode, detail: String, errors: [FieldIssue]? = nil) {
        self.type = "https://chengyun.dev/problems/\(code)"
        self.title = status.reasonPhrase
        self.status = status.code
        self.code = code.rawValue
        self.detail = detail
        self.errors = errors?.isEmpty == true ? nil : errors
    }

    static func badRequest(_ code: ErrorCode, _ detail: String, errors: [FieldIssue]? = nil) -> Problem {
        Problem(status: .badRequest, code: code, detail: detail, errors: errors)
    }

    static let unauthenticated = Problem(
        status: .unauthorized, code: "unauthenticated",
        detail: "Log in first: send a session cookie, a bearer token or an API key.")

    /// Work only the leading node does, asked of another (or of a leader that just lost the lease).
    static var notLeader: Problem {
        var problem = Problem(
            status: .serviceUnavailable, code: "not_leader",
            detail: "This node does not lead the cluster now; send it to another node or try again shortly.")
        problem.retryAfterSeconds = 1
        return problem
    }

    static func forbidden(_ detail: String) -> Problem {
        Problem(status: .forbidden, code: "forbidden", detail: detail)
    }

    /// Maps any error to a problem. Unknown errors become 500 and are logged, never shown.
    static func from(_ error: any Error, logger: Logger) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as DomainError:
            let status: HTTPResponse.Status =
                switch error.kind {
                case .invalid: error.code == .validationFailed ? .unprocessableContent : .badRequest
                case .notFound: .notFound
                case .conflict: .conflict
                case .forbidden: .forbidden
                case .unauthenticated: .unauthorized
                case .locked: HTTPResponse.Status(code: 423, reasonPhrase: "Locked")
                case .tooLarge: .contentTooLarge
                case .tooMany: .tooManyRequests
                case .badGateway: .badGateway
                case .gatewayTimeout: .gatewayTimeout
                }
            var problem = Problem(status: status, code: error.code, detail: error.message, errors: error.issues)
            (problem.retryAfterSeconds, problem.nextCursor) = (error.retryAfterSeconds, error.nextCursor)
            return problem
        case let error as HTTPError:
            let code: ErrorCode =
                switch error.status {
                case .notFound: "not_found"
                case .methodNotAllowed: "method_not_allowed"
                case .contentTooLarge: "payload_too_large"
                case .unsupportedMediaType: "unsupported_media_type"
                default: error.status.code < 500 ? "bad_request" : "server_error"
                }
            return Problem(status: error.status, code: code, detail: error.body ?? error.status.reasonPhrase)
        case is FencedOut:
            return .notLeader
        case is DecodingError:
            return .badRequest("invalid_json", "The request body could not be read.")
        case is CancellationError:
            // The server is shutting down under this request.
            return Problem(
                status: .serviceUnavailable, code: "shutting_down", detail: "The server is stopping; try again shortly."
            )
        default:
            logger.error("unhandled error", metadata: ["error": "\(loggedError(error))"])
            return Problem(
                status: .internalServerError, code: "internal_error",
                detail: "Something went wrong on the server; it has been logged.")
        }
    }

    func response() -> Response {
        let data = (try? JSONEncoder.api.encode(self)) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json; charset=utf-8"
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error thrown below it into a problem+json response. A door whose clients tell
/// errors apart by their `type` (NGSI-LD's) gives the type for a status and code.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    var type: @Sendable (_ status: Int, _ code: String) -> String? = { _, _ in nil }

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var problem = Problem.from(error, logger: context.logger)
            if let type = type(problem.status, problem.code) { problem.type = type }
            if problem.status == 404 && NotFoundPage.wanted(by: request) { return NotFoundPage.response(for: request) }
            return problem.response()
        }
    }
}
