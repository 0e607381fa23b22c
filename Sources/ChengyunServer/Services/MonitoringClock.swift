import ChengyunStore
import Logging
import ServiceLifecycle

/// The monitoring engine's clock: every minute the no-data rules are judged and ended disarm
/// windows lifted; every hour raw readings past their retention are folded into rollups.
struct MonitoringClock: Service {
    let platform: Platform
    let logger: Logger

    func run() async throws {
        var minutes = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await platform.telemetry.checkSilence(now: platform.now())
                if minutes % 60 == 0 {
                    let folded = try await platform.telemetry.applyRetention()
                    if folded > 0 { logger.info("rolled up raw readings", metadata: ["rows": "\(folded)"]) }
                }
            } catch {
                logger.error("monitoring clock", metadata: ["error": "\(error)"])
            }
            minutes += 1
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
        }
    }
}
