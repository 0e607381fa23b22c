import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird
import NIOCore
import Prometheus

/// Liveness, metrics and the OpenAPI document.
struct SystemController {
    let platform: Platform
    let registry: PrometheusCollectorRegistry
    let web: WebSettings
    let readiness: Readiness

    struct Health: Encodable, Sendable {
        /// `ok`, `database_unavailable`, or `shutting_down` (this node takes no new work).
        var status: String
        var database: String
        var version: String
        /// This node, and whether it holds the cluster's lead.
        var node: String
        var leader: Bool
        var ready: Bool
    }

    func register(on router: Router<AppRequestContext>) {
        router.onPublic(
            .get, "healthz",
            RouteDoc(
                "Readiness of this node: the database reachable and the node not shutting down (a proxy's health check)",
                .system, success: .ok(.json(Health.self)),
                answers: [
                    RouteAnswer(
                        status: 503, description: "Database unavailable, or this node is shutting down",
                        content: .json(Health.self))
                ])
        ) { request, context -> Response in
            let status: String
            do {
                try await platform.pool.read { try await $0.raw("SELECT 1").run() }
                status = readiness.isReady ? "ok" : "shutting_down"
            } catch {
                status = "database_unavailable"
            }
            let health = Health(
                status: status, database: platform.pool.backend.rawValue, version: Chengyun.version,
                node: platform.cluster.nodeId, leader: platform.cluster.isLeader, ready: status == "ok")
            return try JSONBody(health, status: status == "ok" ? .ok : .serviceUnavailable)
                .response(from: request, context: context)
        }
        // Checked at start-up (buildApplication): every entry is a network here.
        let networks = web.metricsNetworks.compactMap(AddressRange.init)
        router.onPublic(
            .get, "metrics",
            RouteDoc(
                "Prometheus metrics", .system, success: .ok(.text, "Prometheus text exposition"),
                answers: [
                    .problem(403, "forbidden: metrics are limited to configured networks or a key (chengyun.metrics.*)")
                ])
        ) { request, context -> Response in
            if !Self.mayReadMetrics(
                networks: networks, key: web.metricsKey, address: context.remoteAddress,
                authorization: request.headers[.authorization])
            {
                throw Problem(
                    status: .forbidden, code: "forbidden",
                    detail: "Metrics are limited to configured networks or a key.")
            }
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.onPublic(
            .get, "api/v1/openapi.json",
            RouteDoc("This document", .system, success: .ok(.json("OpenAPIDocument"), "OpenAPI 3.1 document"))
        ) { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.data())))
        }
    }
}

extension SystemController {
    /// Open when neither networks nor a key are configured; otherwise a caller from one of the
    /// networks, or one presenting the key as a bearer token.
    static func mayReadMetrics(networks: [AddressRange], key: String?, address: SocketAddress?, authorization: String?)
        -> Bool
    {
        let key = key.flatMap { $0.isEmpty ? nil : $0 }
        if networks.isEmpty && key == nil { return true }
        if networks.contains(where: { $0.contains(address) }) { return true }
        if let key, let authorization, authorization.hasPrefix("Bearer ") {
            return SecureToken.constantTimeEqual(String(authorization.dropFirst("Bearer ".count)), key)
        }
        return false
    }
}

public enum Chengyun {
    public static let version = "0.1.0"
}

/// The hand-maintained OpenAPI 3.1 document shipped with the binary.
public enum OpenAPIDocument {
    public static func data() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "OpenAPI") else {
            throw HTTPError(.internalServerError, message: "The OpenAPI document is missing from the build.")
        }
        return try Data(contentsOf: url)
    }
}
