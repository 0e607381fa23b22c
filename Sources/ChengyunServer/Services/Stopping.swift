import Logging
import ServiceLifecycle
import Synchronization

/// Whether this node takes work: true from the start until its graceful shutdown begins (then
/// `/healthz` answers 503, so a proxy sends new requests elsewhere).
public final class Readiness: Sendable {
    private let ready = Atomic(true)
    public init() {}
    public var isReady: Bool { ready.load(ordering: .relaxed) }
    func stop() { ready.store(false, ordering: .relaxed) }
}

/// Put after the application in the service group, so that a graceful shutdown reaches it first:
/// the node says it is not ready, waits `drain` for a load balancer's health check to notice, and
/// only then lets the HTTP server stop taking requests (and starts `watch`'s reports of what
/// still runs).
public struct ReadinessGate: Service {
    let readiness: Readiness
    let watch: ShutdownWatch
    let drain: Duration
    let logger: Logger

    public init(readiness: Readiness, watch: ShutdownWatch, drain: Duration, logger: Logger) {
        self.readiness = readiness
        self.watch = watch
        self.drain = drain
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        readiness.stop()
        if drain > .zero { try? await Task.sleep(for: drain) }
        // Not a child of this service: it reports until the rest has stopped (or the process ends).
        Task { [watch, logger] in await watch.report(every: .seconds(5), logger: logger) }
    }
}

/// What still runs while the node stops: each service by name, told to stop or not yet, and
/// counts such as the live streams open. A graceful shutdown that stalls is otherwise silent until
/// a supervisor kills the process; `report` names what holds it every few seconds, so the log
/// says which part to look at (and the service group's bound, `cluster.shutdownSeconds`, then
/// cancels it).
public final class ShutdownWatch: Sendable {
    private struct Entry {
        var name: String
        var told = false
    }

    /// The services running, by the order they started in.
    private let running = Mutex<(next: Int, entries: [Int: Entry])>((0, [:]))
    private let counts = Mutex<[(String, @Sendable () -> Int)]>([])

    public init() {}

    /// `service` run under the watch, as `name` (else the name it gives itself, else its type's).
    public func watched(_ service: any Service, as name: String? = nil) -> any Service {
        Watched(
            name: name ?? (service as? any NamedService)?.serviceName ?? String(describing: type(of: service)),
            service: service, watch: self)
    }

    /// A figure reported beside the services (read at each report).
    public func count(_ name: String, _ read: @escaping @Sendable () -> Int) {
        counts.withLock { $0.append((name, read)) }
    }

    /// The services still running: those told to stop, in the order they started, and how many
    /// are not told yet; with the counts that are not zero.
    public func stillRunning() -> (stopping: [String], notYetTold: Int, counts: [String: Int]) {
        let entries = running.withLock { $0.entries }.sorted { $0.key < $1.key }.map(\.value)
        var figures: [String: Int] = [:]
        for (name, read) in counts.withLock({ $0 }) {
            let value = read()
            if value != 0 { figures[name] = value }
        }
        return (entries.filter(\.told).map(\.name), entries.count { !$0.told }, figures)
    }

    /// Logs what still runs every `every`, while a service told to stop has not, until nothing
    /// runs (a shutdown that goes as it should logs nothing). The HTTP server is not named: it
    /// stops first inside "application", so a stall there reads `stopping: application` with the
    /// application's own services not yet told.
    public func report(every: Duration, logger: Logger) async {
        let began = ContinuousClock.now
        while true {
            try? await Task.sleep(for: every)
            let (stopping, waiting, figures) = stillRunning()
            if stopping.isEmpty && waiting == 0 { return }
            if stopping.isEmpty { continue }
            var metadata: Logger.Metadata = [
                "after": "\((ContinuousClock.now - began).components.seconds) s",
                "stopping": "\(stopping.joined(separator: ", "))", "notYetTold": "\(waiting)",
            ]
            for (name, value) in figures { metadata[name] = "\(value)" }
            logger.warning("still stopping", metadata: metadata)
        }
    }

    fileprivate func begin(_ name: String) -> Int {
        running.withLock { state in
            state.next += 1
            state.entries[state.next] = Entry(name: name)
            return state.next
        }
    }

    fileprivate func told(_ id: Int) { running.withLock { $0.entries[id]?.told = true } }

    fileprivate func end(_ id: Int) { _ = running.withLock { $0.entries.removeValue(forKey: id) } }
}

/// A service that says what it is, so that a log line about it (a `ShutdownWatch`'s report) can
/// name it: a periodic job by its job's name, where its type would say only `Periodic`.
public protocol NamedService: Service {
    var serviceName: String { get }
}

/// A service run under a `ShutdownWatch`, by name: counted from its start to its end, and marked
/// once it is told to stop.
struct Watched: Service, CustomStringConvertible {
    let name: String
    let service: any Service
    let watch: ShutdownWatch

    func run() async throws {
        let id = watch.begin(name)
        defer { watch.end(id) }
        try await withGracefulShutdownHandler {
            try await service.run()
        } onGracefulShutdown: { [watch] in
            watch.told(id)
        }
    }

    var description: String { name }
}

/// A service group's bound on a graceful shutdown: the drain, then `cluster.shutdownSeconds` for
/// the services to stop. Past it they are cancelled, and past ten more seconds of cancellation
/// ServiceLifecycle ends the process, so a stuck part cannot hold a node half-stopped until a
/// supervisor's SIGKILL (the watch's reports say which part it was).
public func shutdownBounded(_ configuration: ServiceGroupConfiguration, _ config: AppConfig)
    -> ServiceGroupConfiguration
{
    var configuration = configuration
    configuration.maximumGracefulShutdownDuration = .seconds(config.drainSeconds + config.shutdownSeconds)
    configuration.maximumCancellationDuration = .seconds(10)
    return configuration
}
