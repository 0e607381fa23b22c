import HTTPTypes
import Hummingbird
import Tracing

/// A server span per request while traces are exported (`Traces`), named by the route's template
/// (`/api/v1/cases/{id}`) with the method and the answer's status — no query, no path values and
/// no headers, so no key and no person's detail reaches the collector. A W3C `traceparent` is
/// continued only from a trusted proxy (`CHENGYUN_PROXY_TRUSTED_NETWORKS`, which passes on its
/// client's): anyone else's request starts a trace of its own, so outsiders cannot steer sampling
/// or stitch their calls into the platform's traces.
struct RequestTracingMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let proxies: ForwardedFor

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var parent = ServiceContext.current ?? .topLevel
        if proxies.isTrusted(peer: context.remoteAddress) {
            InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: HeaderExtractor())
        }
        return try await withSpan("HTTP \(request.method.rawValue)", context: parent, ofKind: .server) { span in
            span.attributes["http.request.method"] = request.method.rawValue
            do {
                let response = try await next(request, context)
                finish(span, context, status: response.status)
                return response
            } catch let error as any HTTPResponseError {
                finish(span, context, status: error.status)
                throw error
            }
        }
    }

    private func finish(_ span: any Span, _ context: Context, status: HTTPResponse.Status) {
        if let route = context.endpointPath {
            span.operationName = route
            span.attributes["http.route"] = route
        }
        span.attributes["http.response.status_code"] = Int(status.code)
    }
}

/// Reads trace headers (`traceparent`, `tracestate`) from a request.
private struct HeaderExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}
