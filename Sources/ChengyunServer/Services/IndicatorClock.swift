import ChengyunCore
import ChengyunStore
import Logging

extension Periodic {
    /// City vital signs on a schedule: every 15 minutes the tree is worked out for the city and
    /// each district and kept, so today's figures follow the day and yesterday's last figures stay
    /// as history.
    static func indicatorClock(_ platform: Platform, logger: Logger) -> Periodic {
        Periodic(name: "indicator clock", every: .seconds(15 * 60), logger: logger) {
            let areas = try await platform.organisation.listAreas(
                level: nil, parentId: nil, page: PageRequest(limit: PageRequest.maxLimit), by: .system
            )
            .items.filter { $0.level == .city || $0.level == .district }
            for area in areas {
                _ = try await platform.indicators.compute(areaId: area.id, record: true, by: .system)
            }
        }
    }
}
