import Hummingbird
import Prometheus

/// Request counts and latencies per route, written straight to the registry `/metrics` shows.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let labels = [("method", request.method.rawValue), ("route", route), ("status", String(response.status.code))]
        registry.makeCounter(name: "chengyun_http_requests_total", labels: labels).increment()
        registry.makeDurationHistogram(
            name: "chengyun_http_request_duration_seconds",
            labels: [("method", request.method.rawValue), ("route", route)],
            buckets: [
                .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
                .seconds(2),
            ]
        ).record(ContinuousClock.now - start)
        return response
    }
}
