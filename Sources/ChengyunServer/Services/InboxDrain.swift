import ChengyunCore
import ChengyunStore
import Logging
import ServiceLifecycle

/// On every node: the readings other nodes queued for this node's rule shards, judged and stored
/// as soon as their signal arrives (looked for every 20 ms) and at least once a second — the
/// safety net beside the signal, as the outbox poll is beside NOTIFY.
struct InboxDrain: Service {
    let platform: Platform
    let logger: Logger

    func run() async throws {
        let clock = ContinuousClock()
        var last = clock.now - .seconds(1)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if platform.monitoring.takeInboxRing() || clock.now - last >= .seconds(1) {
                last = clock.now
                do {
                    try await platform.telemetry.drainInbox(logger: logger) { Task.isShuttingDownGracefully }
                } catch {
                    if Task.isCancelled || Task.isShuttingDownGracefully { break }
                    logger.warning("telemetry queue", metadata: ["error": "\(loggedError(error))"])
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(20)) }
        }
    }
}
