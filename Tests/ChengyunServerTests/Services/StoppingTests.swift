@testable import ChengyunServer
import ChengyunTestSupport
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// A graceful shutdown is bounded and watched: a service that does not stop when told holds the
/// node only until `cluster.shutdownSeconds`, then is cancelled; meanwhile the watch names it
/// (and the open live streams), and the node says it is not ready at once.
@Suite(.timeLimit(.minutes(1))) struct StoppingTests {
    @Test func aServiceThatIgnoresShutdownIsNamedThenCancelledAtTheBound() async throws {
        let (readiness, watch) = (Readiness(), ShutdownWatch())
        watch.count("liveStreams") { 2 }
        var config = AppConfig()
        config.shutdownSeconds = 5
        let lines = LogLines()
        let logger = Logger(label: "test") { _ in lines }
        let group = ServiceGroup(
            configuration: shutdownBounded(
                .init(
                    services: [
                        watch.watched(Stubborn(), as: "stubborn job"),
                        watch.watched(Prompt()),
                        ReadinessGate(readiness: readiness, watch: watch, drain: .zero, logger: logger),
                    ], logger: logger), config))
        async let ran: Void = group.run()
        // Waited for, not timed: with the whole suite running, a task may wait seconds for a core.
        #expect(try await eventually { watch.stillRunning().notYetTold == 2 }, "both services run, neither told")
        let told = ContinuousClock.now
        await group.triggerGracefulShutdown()
        // The prompt one stops at once; the stubborn one is told and holds on until the bound.
        #expect(try await eventually { watch.stillRunning().stopping == ["stubborn job"] })
        let held = watch.stillRunning()
        #expect(!readiness.isReady)
        #expect(held.stopping == ["stubborn job"] && held.notYetTold == 0)
        #expect(held.counts == ["liveStreams": 2])
        try? await ran
        let took = ContinuousClock.now - told
        #expect(took >= .seconds(5) && took < .seconds(30), "stopped at the bound, not before: \(took)")
        #expect(watch.stillRunning().stopping.isEmpty)
        let cancelled = Stubborn.cancelled.load(ordering: .relaxed)
        #expect(cancelled)
    }

    @Test func theReportNamesWhatStillRunsAndEndsWhenAllHaveStopped() async throws {
        let watch = ShutdownWatch()
        watch.count("liveStreams") { 1 }
        let lines = LogLines()
        let logger = Logger(label: "test") { _ in lines }
        let group = ServiceGroup(
            configuration: .init(services: [watch.watched(Sleeper(), as: "webhook dispatch")], logger: logger))
        let running = Task { try await group.run() }
        #expect(try await eventually { watch.stillRunning().notYetTold == 1 })
        await group.triggerGracefulShutdown()
        let report = Task { await watch.report(every: .milliseconds(100), logger: logger) }
        // Two reports while it runs (waited for, not timed: the machine may be busy).
        #expect(try await eventually { lines.reports >= 2 })
        running.cancel()
        _ = await running.result
        await report.value
        let said = lines.messages.filter { $0.contains("still stopping") }
        #expect(said.count >= 2, "a report every 100 ms while the service ran: \(said)")
        #expect(said.allSatisfy { $0.contains("stopping: webhook dispatch") && $0.contains("notYetTold: 0") })
        #expect(said.allSatisfy { $0.contains("liveStreams: 1") })
        #expect(watch.stillRunning().stopping.isEmpty)
    }

    @Test func aServiceIsNamedByTheNameItGivesElseByItsType() async throws {
        let watch = ShutdownWatch()
        let job = Periodic(name: "warning clock", every: .seconds(60), logger: Logger(label: "test")) {}
        #expect("\(watch.watched(job))" == "warning clock", "a periodic job by its job's name, not `Periodic`")
        #expect("\(watch.watched(Prompt()))" == "Prompt")
        #expect("\(watch.watched(job, as: "given"))" == "given")
    }
}

/// Ignores a graceful shutdown; stops only when cancelled.
private struct Stubborn: Service {
    static let cancelled = Atomic(false)
    func run() async throws {
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
        Stubborn.cancelled.store(true, ordering: .relaxed)
    }
}

/// Stops as soon as it is told.
private struct Prompt: Service {
    func run() async throws { try? await gracefulShutdown() }
}

/// Sleeps until cancelled (a graceful shutdown does not stop it).
private struct Sleeper: Service {
    func run() async throws { try await Task.sleep(for: .seconds(60)) }
}

/// Keeps every log line (message and metadata) written through it.
private final class LogLines: LogHandler, @unchecked Sendable {
    private let lines = Mutex<[String]>([])
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    var messages: [String] { lines.withLock { $0 } }
    var reports: Int { messages.count { $0.contains("still stopping") } }
    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        let fields = (metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        lines.withLock { $0.append("\(message) \(fields.joined(separator: " "))") }
    }
}
