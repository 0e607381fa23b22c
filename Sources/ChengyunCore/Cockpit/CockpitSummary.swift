/// What the leader's cockpit (驾驶舱) shows at a glance, within the caller's area scope: open and
/// overdue cases per grid cell (for colouring the map), today's figures, open alarms by severity,
/// devices by state, cases per day by major category, and the markers of open cases and alarms.
public struct CockpitSummary: Codable, Equatable, Sendable {
    public struct Cell: Codable, Equatable, Sendable {
        public var gridCellId: String
        public var open: Int
        public var overdue: Int
        public init(gridCellId: String, open: Int, overdue: Int) {
            self.gridCellId = gridCellId
            self.open = open
            self.overdue = overdue
        }
    }

    public struct Today: Codable, Equatable, Sendable {
        public var reported: Int
        public var filed: Int
        public var closed: Int
        public init(reported: Int, filed: Int, closed: Int) {
            self.reported = reported
            self.filed = filed
            self.closed = closed
        }
    }

    /// Cases reported on one local day in one major category (E01, C02…).
    public struct DayCount: Codable, Equatable, Sendable {
        public var day: String
        public var category: String
        public var count: Int
        public init(day: String, category: String, count: Int) {
            self.day = day
            self.category = category
            self.count = count
        }
    }

    /// Alarms raised in one clock hour (its start, epoch ms), by severity; cleared ones count too.
    public struct HourCount: Codable, Equatable, Sendable {
        public var hour: Int64
        public var bySeverity: [String: Int]
        public init(hour: Int64, bySeverity: [String: Int]) { (self.hour, self.bySeverity) = (hour, bySeverity) }
    }

    public struct Marker: Codable, Equatable, Sendable {
        public var id: String
        /// `case` or `alarm`.
        public var kind: String
        public var lon: Double
        public var lat: Double
        /// A case's number, an alarm's rule name.
        public var label: String
        /// A case's state, an alarm's severity.
        public var status: String
        public var overdue: Bool
        public init(id: String, kind: String, lon: Double, lat: Double, label: String, status: String, overdue: Bool) {
            self.id = id
            self.kind = kind
            self.lon = lon
            self.lat = lat
            self.label = label
            self.status = status
            self.overdue = overdue
        }
    }

    public var at: Int64
    public var cells: [Cell]
    public var today: Today
    /// Share of the cases closed in the last 30 days that closed within their whole-case limit.
    public var onTimeClosingRate: Double?
    public var alarmsBySeverity: [String: Int]
    public var devicesByState: [String: Int]
    public var casesPerDay: [DayCount]
    /// The last 24 clock hours, the current one last, every hour present (empty ones with no counts).
    public var alarmsPerHour: [HourCount]
    public var markers: [Marker]

    public init(
        at: Int64, cells: [Cell], today: Today, onTimeClosingRate: Double?, alarmsBySeverity: [String: Int],
        devicesByState: [String: Int], casesPerDay: [DayCount], alarmsPerHour: [HourCount], markers: [Marker]
    ) {
        self.at = at
        self.cells = cells
        self.today = today
        self.onTimeClosingRate = onTimeClosingRate
        self.alarmsBySeverity = alarmsBySeverity
        self.devicesByState = devicesByState
        self.casesPerDay = casesPerDay
        self.markers = markers
        self.alarmsPerHour = alarmsPerHour
    }

    public static let hour: Int64 = 3_600_000

    /// The start of the local clock hour `instant` is in (offsets like +05:30 move the boundaries).
    public static func hourStart(_ instant: Int64, utcOffsetMillis offset: Int64) -> Int64 {
        let local = instant + offset
        return local - ((local % hour) + hour) % hour - offset
    }

    /// 24 hours ending with the one `now` is in, filled from sparse (hour start, severity, count) rows.
    public static func lastDay(
        at now: Int64, utcOffsetMillis offset: Int64, counts: [(hour: Int64, severity: String, count: Int)]
    ) -> [HourCount] {
        let current = hourStart(now, utcOffsetMillis: offset)
        return (0..<24).map { index in
            let start = current - Int64(23 - index) * hour
            return HourCount(
                hour: start,
                bySeverity: Dictionary(
                    counts.filter { $0.hour == start }.map { ($0.severity, $0.count) },
                    uniquingKeysWith: +))
        }
    }

    /// At most this many markers of each kind (the map clusters them).
    public static let markerLimit = 10_000
}
