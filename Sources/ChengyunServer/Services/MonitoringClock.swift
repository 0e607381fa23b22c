import ChengyunStore
import Logging
import ServiceLifecycle

/// The monitoring engine's clock: every minute the no-data rules are judged, ended disarm
/// windows lifted and devices' newest reading times written to their rows (and once more at
/// shutdown); every hour raw readings past their retention are folded into rollups.
struct MonitoringClock: Service {
    let platform: Platform
    let logger: Logger

    func run() async throws {
        var minutes = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await platform.telemetry.checkSilence(now: platform.now())
                try await platform.telemetry.flushLastReadings()
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
        do {
            try await platform.telemetry.flushLastReadings()
        } catch {
            logger.error("flushing reading times at shutdown", metadata: ["error": "\(error)"])
        }
    }
}
