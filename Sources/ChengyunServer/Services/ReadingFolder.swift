import ChengyunStore
import Logging
import ServiceLifecycle

/// Moves readings from the time-ordered recent table into the series-ordered one when enough wait
/// (`TelemetrySettings.foldRows`) or some have waited long enough; looks every second.
struct ReadingFolder: Service {
    let platform: Platform
    let logger: Logger

    func run() async throws {
        var lastFold = platform.now()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let moved = try await platform.telemetry.foldIfDue(lastFold: lastFold)
                if moved > 0 {
                    lastFold = platform.now()
                    logger.debug("folded readings", metadata: ["rows": "\(moved)"])
                }
            } catch {
                // A fold cut off by shutdown is finished by the next process (see ReadingFold).
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                logger.error("folding readings", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
    }
}
