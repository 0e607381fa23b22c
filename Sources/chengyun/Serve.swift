import ArgumentParser
import ChengyunServer
import Configuration
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the platform's HTTP server and web UI.")

    @OptionGroup var storage: StorageOptions

    @Option(help: "Address to listen on (default 127.0.0.1; env CHENGYUN_HOST).")
    var host: String?

    @Option(help: "Port (default 8080; env CHENGYUN_PORT).")
    var port: Int?

    @Flag(help: "Build the demo city first if the database is empty.")
    var demo = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    func run() async throws {
        var extra: [String: ConfigContent] = [:]
        if let host { extra["host"] = .string(host) }
        if let port { extra["port"] = .int(port) }
        if demo { extra["demo"] = .bool(true) }
        if let logLevel { extra["logLevel"] = .string(logLevel) }
        let config = try await storage.load(extra: extra)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let (readiness, watch) = (Readiness(), ShutdownWatch())
        // Traces first, so that the exporter stops last and sends the final spans.
        var services: [any Service] = []
        if config.web.traceRequests {
            services.append(
                watch.watched(
                    try Traces.bootstrap(
                        serviceInstance: config.clusterAddress ?? "\(config.host):\(config.port)",
                        logger: Logger(label: "chengyun")), as: "trace export"))
        }
        let app = try await buildApplication(config, registry: registry, readiness: readiness, watch: watch)
        // The gate last, so that SIGTERM reaches it first: not ready, then the server stops.
        services += [
            watch.watched(app, as: "application"),
            ReadinessGate(readiness: readiness, watch: watch, drain: .seconds(config.drainSeconds), logger: app.logger),
        ]
        let group = ServiceGroup(
            configuration: shutdownBounded(
                .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger), config))
        try await group.run()
    }
}
