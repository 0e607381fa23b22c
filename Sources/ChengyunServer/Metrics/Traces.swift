import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Traces of requests, background rounds and database transactions, exported by OTLP/HTTP to a
/// collector when `CHENGYUN_TRACING_OTLP=true` (off by default: no tracer, nothing exported). Each
/// node names itself by `service.instance.id`, and a request that carries W3C `traceparent` (from a
/// client or a proxy) continues that trace, so one trace shows a request refused by one node and
/// retried on another. Where the spans go is OpenTelemetry's own environment:
/// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (default `http://localhost:4318/v1/traces`),
/// `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` (`http/protobuf`, or `http/json`), `OTEL_TRACES_SAMPLER`.
public enum Traces {
    /// Makes the process's tracer and returns the service that exports its spans (run it in the
    /// service group, before the application, so that it flushes last).
    public static func bootstrap(serviceInstance: String, logger: Logger) throws -> any Service {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "chengyun"
        configuration.resourceAttributes["service.instance.id"] = serviceInstance
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(tracer)
        logger.info("exporting traces by OTLP/HTTP", metadata: ["instance": "\(serviceInstance)"])
        return service
    }
}
