/// A time limit in working time (docs/domain.md §5): "4 working hours", "20 working days".
public struct TimeLimit: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Unit: String, Codable, Sendable, CaseIterable { case minutes, hours, days }

    public var value: Int
    public var unit: Unit

    public init(_ value: Int, _ unit: Unit) {
        self.value = value
        self.unit = unit
    }

    /// Working minutes on `calendar`; a working day is the calendar's ordinary working day
    /// (7.5 hours on the default 08:30–12:00, 14:00–18:00 calendar).
    public func workingMinutes(on calendar: WorkCalendar) -> Int {
        switch unit {
        case .minutes: value
        case .hours: value * 60
        case .days: value * calendar.minutesPerWorkingDay
        }
    }

    public var description: String { "\(value) working \(unit.rawValue)" }
}
