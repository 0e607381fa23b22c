import ChengyunCore
import SQLKit

/// The cockpit's figures, each one aggregate query over the caller's area scope.
public struct CockpitService: Sendable {
    let platform: Platform
    static let day: Int64 = 86_400_000

    public func summary(by actor: Principal) async throws -> CockpitSummary {
        let now = platform.now()
        let scope = actor.listScope + "%"
        return try await platform.pool.read { db in
            let calendar = try await CalendarRepository().current(on: db)
            let offset = Int64(calendar.utcOffsetMinutes) * 60_000
            let today = (now + offset) - (now + offset) % Self.day - offset
            let monthAgo = today - 29 * Self.day
            let cells = try await db.raw(
                """
                SELECT grid_cell_id, COUNT(*) AS open,
                       SUM(CASE WHEN stage_deadline < \(bind: now) THEN 1 ELSE 0 END) AS overdue
                FROM cases WHERE state NOT IN (\(binds: CaseState.terminalRawValues)) AND area_path LIKE \(bind: scope) AND grid_cell_id IS NOT NULL
                GROUP BY grid_cell_id
                """
            ).all().map { row in
                CockpitSummary.Cell(
                    gridCellId: try row.decode(column: "grid_cell_id", as: String.self),
                    open: try row.decode(column: "open", as: Int.self),
                    overdue: try row.decode(column: "overdue", as: Int?.self) ?? 0)
            }
            func count(_ column: String) async throws -> Int {
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM cases WHERE \(ident: column) >= \(bind: today) AND area_path LIKE \(bind: scope)"
                )
                .first()?.decode(column: "n", as: Int.self) ?? 0
            }
            let figures = CockpitSummary.Today(
                reported: try await count("reported_at"), filed: try await count("filed_at"),
                closed: try await count("closed_at"))
            let closing = try await db.raw(
                """
                SELECT COUNT(*) AS n, SUM(CASE WHEN case_deadline IS NULL OR closed_at <= case_deadline THEN 1 ELSE 0 END) AS on_time
                FROM cases WHERE state = 'closed' AND closed_at >= \(bind: monthAgo) AND area_path LIKE \(bind: scope)
                """
            ).first()
            let closedCount = try closing?.decode(column: "n", as: Int.self) ?? 0
            let onTime = try closing?.decode(column: "on_time", as: Int?.self) ?? 0
            let alarms = try await Self.grouped(
                db,
                "SELECT severity AS k, COUNT(*) AS n FROM alarms WHERE state IN ('raised', 'acknowledged') AND area_path LIKE \(bind: scope) GROUP BY severity"
            )
            let devices = try await Self.grouped(
                db, "SELECT state AS k, COUNT(*) AS n FROM devices WHERE area_path LIKE \(bind: scope) GROUP BY state")
            let perDay = try await db.raw(
                """
                SELECT (reported_at + \(bind: offset)) / \(bind: Self.day) AS d, kind, major_code, COUNT(*) AS n
                FROM cases WHERE reported_at >= \(bind: monthAgo) AND area_path LIKE \(bind: scope)
                GROUP BY 1, 2, 3 ORDER BY 1
                """
            ).all().map { row in
                CockpitSummary.DayCount(
                    day: LocalDate(dayNumber: try row.decode(column: "d", as: Int.self)).description,
                    category: (try row.decode(column: "kind", as: CaseKind.self)).letter
                        + (try row.decode(column: "major_code", as: String.self)),
                    count: try row.decode(column: "n", as: Int.self))
            }
            let since = CockpitSummary.hourStart(now, utcOffsetMillis: offset) - 23 * CockpitSummary.hour
            let hourly = try await db.raw(
                """
                SELECT (raised_at + \(bind: offset)) / \(bind: CockpitSummary.hour) AS h, severity, COUNT(*) AS n
                FROM alarms WHERE raised_at >= \(bind: since) AND area_path LIKE \(bind: scope) GROUP BY 1, 2
                """
            ).all().map { row in
                (
                    hour: try row.decode(column: "h", as: Int64.self) * CockpitSummary.hour - offset,
                    severity: try row.decode(column: "severity", as: String.self),
                    count: try row.decode(column: "n", as: Int.self)
                )
            }
            let caseMarkers = try await db.raw(
                """
                SELECT id, lon, lat, number AS label, state AS status, stage_deadline FROM cases
                WHERE state NOT IN (\(binds: CaseState.terminalRawValues)) AND area_path LIKE \(bind: scope)
                ORDER BY reported_at DESC LIMIT \(literal: CockpitSummary.markerLimit)
                """
            ).all().map { row in
                try Self.marker(row, kind: "case") {
                    (try row.decode(column: "stage_deadline", as: Int64?.self)).map { $0 < now } ?? false
                }
            }
            let alarmMarkers = try await db.raw(
                """
                SELECT id, lon, lat, rule_name AS label, severity AS status FROM alarms
                WHERE state IN ('raised', 'acknowledged') AND area_path LIKE \(bind: scope)
                ORDER BY raised_at DESC LIMIT \(literal: CockpitSummary.markerLimit)
                """
            ).all().map { row in try Self.marker(row, kind: "alarm") { false } }
            return CockpitSummary(
                at: now, cells: cells, today: figures,
                onTimeClosingRate: closedCount == 0 ? nil : Double(onTime) / Double(closedCount),
                alarmsBySeverity: alarms, devicesByState: devices, casesPerDay: perDay,
                alarmsPerHour: CockpitSummary.lastDay(at: now, utcOffsetMillis: offset, counts: hourly),
                markers: caseMarkers + alarmMarkers)
        }
    }

    private static func grouped(_ db: any SQLDatabase, _ query: SQLQueryString) async throws -> [String: Int] {
        Dictionary(
            try await db.raw(query).all().map {
                (try $0.decode(column: "k", as: String.self), try $0.decode(column: "n", as: Int.self))
            },
            uniquingKeysWith: +)
    }

    /// A map marker from a row selecting `id, lon, lat, label, status`.
    private static func marker(_ row: any SQLRow, kind: String, overdue: () throws -> Bool) throws
        -> CockpitSummary.Marker
    {
        CockpitSummary.Marker(
            id: try row.decode(column: "id", as: String.self), kind: kind,
            lon: try row.decode(column: "lon", as: Double.self), lat: try row.decode(column: "lat", as: Double.self),
            label: try row.decode(column: "label", as: String.self),
            status: try row.decode(column: "status", as: String.self), overdue: try overdue())
    }
}
