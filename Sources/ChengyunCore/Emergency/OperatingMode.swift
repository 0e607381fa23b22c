/// 平战结合: an area runs in peacetime (平时: the centre watches grid work and where resources
/// are) or wartime (战时: an emergency leads). A grave enough activation or a leader's audited
/// switch puts an area in wartime; only a leader's audited switch brings it back.
public enum OperatingMode: String, Codable, CaseIterable, Sendable {
    case peacetime
    case wartime
}

/// An area's mode, and who or what set it.
public struct AreaMode: Codable, Equatable, Sendable {
    public var areaId: String
    public var areaPath: String
    public var areaName: String
    public var mode: OperatingMode
    /// The incident whose activation put the area in wartime, when one did.
    public var incidentId: String?
    public var reason: String
    public var switchedBy: String
    public var switchedAt: Int64

    public init(
        areaId: String, areaPath: String, areaName: String, mode: OperatingMode, incidentId: String?, reason: String,
        switchedBy: String, switchedAt: Int64
    ) {
        self.areaId = areaId
        self.areaPath = areaPath
        self.areaName = areaName
        self.mode = mode
        self.incidentId = incidentId
        self.reason = reason
        self.switchedBy = switchedBy
        self.switchedAt = switchedAt
    }
}

/// Wartime's decisions, pure.
public enum Wartime {
    /// Whether activating (or changing to) `level` puts the incident's area in wartime: a real
    /// incident at `threshold` or graver. Drills never do.
    public static func triggered(by level: ResponseLevel, threshold: ResponseLevel, drill: Bool) -> Bool {
        !drill && level >= threshold
    }

    /// Whether a record at `path` lies in an area in wartime (its own or one above it).
    public static func covers(_ path: String, wartimePaths: [String]) -> Bool {
        wartimePaths.contains { path.hasPrefix($0) }
    }

    /// The work queue in wartime: the emergency's cases — in an area in wartime, of a matter its
    /// incidents answer (`priority`: wartime area path → matter ids) — first, the rest after,
    /// each part in the order it came.
    public static func queueOrder<T>(
        _ items: [T], path: (T) -> String, matter: (T) -> String, priority: [String: Set<String>]
    ) -> [T] {
        guard !priority.isEmpty else { return items }
        func first(_ item: T) -> Bool {
            priority.contains { area, matters in path(item).hasPrefix(area) && matters.contains(matter(item)) }
        }
        return items.filter(first) + items.filter { !first($0) }
    }
}

extension WarningSubscription {
    /// Whether the subscription hears of `warning`; in wartime every level reaches it (from blue),
    /// so the people who follow a kind hear of it at once.
    public func matches(_ warning: Warning, wartime: Bool) -> Bool {
        wartime ? (kinds.isEmpty || kinds.contains(warning.kind)) : matches(warning)
    }
}
