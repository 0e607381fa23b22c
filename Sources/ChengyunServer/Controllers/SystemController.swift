import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird
import Prometheus

/// Liveness, metrics and the OpenAPI document.
struct SystemController {
    let platform: Platform
    let registry: PrometheusCollectorRegistry

    struct Health: Encodable, Sendable {
        var status: String
        var database: String
        var version: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz") { request, context -> Response in
            do {
                try await platform.pool.read { try await $0.raw("SELECT 1").run() }
                return try JSONBody(Health(status: "ok", database: platform.pool.backend.rawValue, version: Chengyun.version))
                    .response(from: request, context: context)
            } catch {
                return try JSONBody(Health(status: "database_unavailable", database: platform.pool.backend.rawValue,
                                           version: Chengyun.version), status: .serviceUnavailable)
                    .response(from: request, context: context)
            }
        }
        router.get("metrics") { _, _ -> Response in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("api/v1/openapi.json") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.data())))
        }
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
