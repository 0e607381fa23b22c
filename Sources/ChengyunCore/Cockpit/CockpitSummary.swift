/// What the leader's cockpit (驾驶舱) shows at a glance, within the caller's area scope: open and
/// overdue cases per grid cell (for colouring the map), today's figures, open alarms by severity,
/// devices by state, cases per day by major category, and the markers of open cases and alarms.
public struct CockpitSummary: Codable, Equatable, Sendable {
    public struct Cell: Codable, Equatable, Sendable {
        public var gridCellId: String
        public var open: Int
        public var overdue: Int
        public init(gridCellId: String, open: Int, overdue: Int) { (self.gridCellId, self.open, self.overdue) = (gridCellId, open, overdue) }
    }

    public struct Today: Codable, Equatable, Sendable {
        public var reported: Int
        public var filed: Int
        public var closed: Int
        public init(reported: Int, filed: Int, closed: Int) { (self.reported, self.filed, self.closed) = (reported, filed, closed) }
    }

    /// Cases reported on one local day in one major category (E01, C02…).
    public struct DayCount: Codable, Equatable, Sendable {
        public var day: String
        public var category: String
        public var count: Int
        public init(day: String, category: String, count: Int) { (self.day, self.category, self.count) = (day, category, count) }
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
            (self.id, self.kind, self.lon, self.lat, self.label, self.status, self.overdue) = (id, kind, lon, lat, label, status, overdue)
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
    public var markers: [Marker]

    public init(at: Int64, cells: [Cell], today: Today, onTimeClosingRate: Double?, alarmsBySeverity: [String: Int],
                devicesByState: [String: Int], casesPerDay: [DayCount], markers: [Marker]) {
        (self.at, self.cells, self.today, self.onTimeClosingRate) = (at, cells, today, onTimeClosingRate)
        (self.alarmsBySeverity, self.devicesByState, self.casesPerDay, self.markers) = (alarmsBySeverity, devicesByState, casesPerDay, markers)
    }

    /// At most this many markers of each kind (the map clusters them).
    public static let markerLimit = 10_000
}
