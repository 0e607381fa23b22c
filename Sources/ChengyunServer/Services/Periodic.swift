import ChengyunCore
import ChengyunStore
import Logging
import ServiceLifecycle
import Tracing

/// A piece of background work run at a fixed interval until the service group shuts down: the
/// one loop every clock uses. A failed round is logged and the next one runs on time; a round cut
/// off by shutdown is not an error (the work is written to be finished by the next process).
///
/// A singleton (`singleton` set: the platform whose lead it needs) runs only on the node that
/// leads, on wall-clock ticks of its interval: each tick is claimed in `job_ticks` first, so it
/// runs once across every node, a failover included, and its writes go through the fenced pool.
struct Periodic: NamedService {
    let name: String
    let every: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void
    /// Run once more after the last round, at shutdown (e.g. flushing what is held in memory).
    var atShutdown: (@Sendable () async throws -> Void)? = nil
    var singleton: ChengyunStore.Platform? = nil

    var serviceName: String { name }

    /// The tick a singleton round runs for (nil outside one).
    @TaskLocal static var tick: Int64?

    func run() async throws {
        if let singleton {
            try await runSingleton(singleton)
            return
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await round(work)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
        guard let atShutdown else { return }
        do { try await atShutdown() } catch {
            logger.error("\(name) at shutdown", metadata: ["error": "\(loggedError(error))"])
        }
    }

    /// One round, traced as a span of its own; false when it failed (logged unless cut off by
    /// shutdown).
    @discardableResult
    private func round(_ body: @Sendable () async throws -> Void) async -> Bool {
        do {
            try await withSpan("job \(name)") { span in
                if let tick = Periodic.tick { span.attributes["chengyun.job.tick"] = Int(tick) }
                try await body()
            }
            return true
        } catch {
            if Task.isCancelled || Task.isShuttingDownGracefully { return false }
            logger.error("\(name)", metadata: ["error": "\(loggedError(error))"])
            return false
        }
    }

    private func runSingleton(_ platform: ChengyunStore.Platform) async throws {
        let clock = TickClock(
            every: Int64(every.components.seconds) * 1000 + every.components.attoseconds / 1_000_000_000_000_000)
        let cluster = platform.clusterService
        var done = Int64.min
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = platform.now()
            let tick = clock.tick(at: now)
            if tick != done, platform.cluster.isLeader {
                // A claim that could not be made is tried again; a claimed round is not (it ran,
                // or failed and was logged, like any round).
                do {
                    if let epoch = try await cluster.claim(job: name, tick: tick) {
                        let finished = await Leadership.$roundEpoch.withValue(epoch) {
                            await Periodic.$tick.withValue(tick) { await round(work) }
                        }
                        if finished { try await cluster.done(job: name, tick: tick, epoch: epoch) }
                    }
                    done = tick
                } catch {
                    if Task.isCancelled || Task.isShuttingDownGracefully { break }
                    logger.warning("\(name): could not claim tick", metadata: ["error": "\(loggedError(error))"])
                }
            }
            // Until the next tick, but never longer than a second while another node leads.
            let wait = platform.cluster.isLeader ? clock.nextStart(after: now) - platform.now() : 1000
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(max(1, min(wait, 1000)))) }
        }
    }
}

extension Periodic {
    /// Files uploaded but linked to no case within a day are removed, once an hour.
    static func attachmentCleanup(_ platform: ChengyunStore.Platform, logger: Logger) -> Periodic {
        Periodic(name: "attachment cleanup", every: .seconds(3600), logger: logger) {
            let removed = try await platform.files.removeUnlinked()
            if removed > 0 { logger.info("removed unlinked attachments", metadata: ["files": "\(removed)"]) }
        }
    }

    /// The audit chain's head written to the anchor file outside the database, once a day (and
    /// once at start, so a new deployment has an anchor from its first day).
    static func auditAnchor(_ platform: ChengyunStore.Platform, file: AuditAnchorFile, logger: Logger) -> Periodic {
        Periodic(name: "audit anchor", every: .seconds(86_400), logger: logger) {
            let seq = try await file.anchor(platform.pool, at: platform.now())
            logger.info("anchored the audit chain", metadata: ["seq": "\(seq)", "file": "\(file.path)"])
        }
    }
}

extension Periodic {
    /// Claimed ticks, gone nodes and outbox rows older than a day go, once an hour.
    static func clusterPrune(_ platform: ChengyunStore.Platform, logger: Logger) -> Periodic {
        Periodic(name: "cluster prune", every: .seconds(3600), logger: logger) {
            try await platform.clusterService.prune()
        }
    }

    /// Deliveries and access log entries past their retention go, once an hour (`DataHubPruning`).
    static func dataHubPrune(_ platform: ChengyunStore.Platform, logger: Logger) -> Periodic {
        Periodic(name: "data hub prune", every: .seconds(3600), logger: logger) {
            let removed = try await platform.dataHubPruning.prune()
            if removed.deliveries + removed.accessLog > 0 {
                logger.info(
                    "pruned the data hub's logs",
                    metadata: ["deliveries": "\(removed.deliveries)", "accessLog": "\(removed.accessLog)"])
            }
        }
    }

    /// Shared rate-limit buckets idle for a minute (full again, as a new one would be) go, once a
    /// minute: the table holds about a minute's worth of distinct callers.
    static func rateBucketPrune(_ platform: ChengyunStore.Platform, logger: Logger) -> Periodic {
        Periodic(name: "rate bucket prune", every: .seconds(60), logger: logger) {
            try await SharedRateLimits(pool: platform.pool).prune(before: platform.now() - 60_000)
        }
    }

    /// The probe (`chengyun.cluster.probeMillis`): each tick leaves a row, with no key that would
    /// stop a second run, so `cluster_probe_runs` shows whether any tick ever ran twice.
    static func clusterProbe(_ platform: ChengyunStore.Platform, every: Duration, logger: Logger) -> Periodic {
        Periodic(name: "cluster probe", every: every, logger: logger) {
            guard let tick = Periodic.tick else { return }
            try await platform.clusterService.probe(job: "cluster probe", tick: tick)
        }
    }
}
