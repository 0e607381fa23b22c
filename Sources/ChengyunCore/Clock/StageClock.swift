/// The clock of one stage of a case: a working-time limit that approved extensions lengthen and
/// suspension (挂账) pauses. Pure: every question takes the instant it is asked at.
public struct StageClock: Codable, Equatable, Sendable {
    public var startedAt: Int64
    /// The limit including approved extensions, in working milliseconds.
    public var limitMillis: Int64
    /// Working time used in segments that have ended (before a suspension).
    public var usedMillis: Int64
    /// When the current running segment began; nil while suspended or after the stage ended.
    public var runningSince: Int64?
    public var finishedAt: Int64?

    public init(startedAt: Int64, limitMinutes: Int) {
        self.startedAt = startedAt
        self.limitMillis = Int64(limitMinutes) * 60_000
        self.usedMillis = 0
        self.runningSince = startedAt
    }

    public func used(at now: Int64, on calendar: WorkCalendar) -> Int64 {
        usedMillis + (runningSince.map { calendar.workingMillis(from: $0, to: now) } ?? 0)
    }

    /// When the limit runs out if nothing pauses the clock; nil while suspended or finished.
    public func deadline(on calendar: WorkCalendar) -> Int64? {
        guard let runningSince, finishedAt == nil else { return nil }
        return calendar.add(runningSince, workingMillis: max(0, limitMillis - usedMillis))
    }

    public var isSuspended: Bool { runningSince == nil && finishedAt == nil }

    public mutating func suspend(at now: Int64, on calendar: WorkCalendar) {
        guard let since = runningSince else { return }
        usedMillis += calendar.workingMillis(from: since, to: now)
        runningSince = nil
    }

    public mutating func resume(at now: Int64) {
        guard runningSince == nil, finishedAt == nil else { return }
        runningSince = now
    }

    public mutating func extend(byMinutes minutes: Int) {
        limitMillis += Int64(minutes) * 60_000
    }

    /// Stops the clock; answers whether the stage finished within its limit.
    @discardableResult
    public mutating func finish(at now: Int64, on calendar: WorkCalendar) -> Bool {
        usedMillis = used(at: now, on: calendar)
        runningSince = nil
        finishedAt = now
        return usedMillis <= limitMillis
    }

    public var finishedOnTime: Bool? { finishedAt == nil ? nil : usedMillis <= limitMillis }

    /// Share of the limit used, 0…∞.
    public func fractionUsed(at now: Int64, on calendar: WorkCalendar) -> Double {
        limitMillis == 0 ? 1 : Double(used(at: now, on: calendar)) / Double(limitMillis)
    }
}

/// How close a running stage is to its limit (docs/domain.md §5): yellow from the warning threshold
/// (default 80 %), red once overdue.
public enum ClockLevel: String, Codable, Sendable, Comparable {
    case normal, yellow, red

    public init(fractionUsed: Double, warningThreshold: Double) {
        self = fractionUsed > 1 ? .red : (fractionUsed >= warningThreshold ? .yellow : .normal)
    }

    public static func < (lhs: ClockLevel, rhs: ClockLevel) -> Bool {
        [ClockLevel.normal, .yellow, .red].firstIndex(of: lhs)! < [ClockLevel.normal, .yellow, .red].firstIndex(
            of: rhs)!
    }
}
