import ChengyunCore
import ChengyunStore
import Logging
import ServiceLifecycle

/// City vital signs on a schedule: every 15 minutes the tree is worked out for the city and each
/// district and kept, so today's figures follow the day and yesterday's last figures stay as history.
struct IndicatorClock: Service {
    let platform: Platform
    let logger: Logger
    static let interval: Duration = .seconds(15 * 60)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let areas = try await platform.organisation.listAreas(
                    level: nil, parentId: nil, page: PageRequest(limit: PageRequest.maxLimit), by: .system
                )
                .items.filter { $0.level == .city || $0.level == .district }
                for area in areas {
                    _ = try await platform.indicators.compute(areaId: area.id, record: true, by: .system)
                }
            } catch {
                logger.error("indicator clock", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
        }
    }
}
