import ChengyunCore
import SQLKit

/// One stored value of an indicator for an area and a period.
public struct IndicatorValue: Codable, Equatable, Sendable {
    public var code: String
    public var areaId: String
    public var periodStart: Int64
    public var periodEnd: Int64
    public var value: Double?
    public var colour: AlarmSeverity?
    /// `computed` or `imported`.
    public var source: String
    public var recordedAt: Int64
}

/// The values indicators are computed from (case statistics, telemetry rollups, imported values)
/// and the history they are kept in.
struct IndicatorRepository: Sendable {

    /// A case statistic over an area (by path prefix) and a period; matters narrowed by a code
    /// prefix (E, E01, E0102). Rates are percentages; nil when nothing was there to rate.
    func caseMeasure(
        _ measure: String, matterPrefix: String?, scope: String, from: Int64, to: Int64, now: Int64,
        on db: any SQLDatabase
    ) async throws -> Double? {
        var matter: SQLQueryString = "1 = 1"
        if let prefix = matterPrefix, let letter = prefix.first {
            let kind = letter == "C" ? CaseKind.component.rawValue : CaseKind.event.rawValue
            matter = "kind = \(bind: kind)"
            if prefix.count >= 3 { matter = "\(matter) AND major_code = \(bind: String(prefix.dropFirst().prefix(2)))" }
            if prefix.count >= 5 {
                matter = "\(matter) AND minor_code = \(bind: String(prefix.dropFirst(3).prefix(2)))"
            }
        }
        let inScope: SQLQueryString = "area_path LIKE \(bind: scope + "%") AND \(matter)"
        func count(_ condition: SQLQueryString) async throws -> Double {
            Double(
                try await db.raw("SELECT COUNT(*) AS n FROM cases WHERE \(inScope) AND \(condition)").first()?.decode(
                    column: "n", as: Int.self) ?? 0)
        }
        switch measure {
        case "reported": return try await count("reported_at >= \(bind: from) AND reported_at < \(bind: to)")
        case "filed": return try await count("filed_at >= \(bind: from) AND filed_at < \(bind: to)")
        case "closed":
            return try await count("state = 'closed' AND closed_at >= \(bind: from) AND closed_at < \(bind: to)")
        case "open":
            return try await count("reported_at < \(bind: to) AND state NOT IN (\(binds: CaseState.terminalRawValues))")
        case "overdue":
            return try await count(
                "reported_at < \(bind: to) AND state NOT IN (\(binds: CaseState.terminalRawValues)) AND stage_deadline < \(bind: min(now, to))"
            )
        case "onTimeClosingRate":
            let closed = try await count("state = 'closed' AND closed_at >= \(bind: from) AND closed_at < \(bind: to)")
            guard closed > 0 else { return nil }
            let onTime = try await count(
                "state = 'closed' AND closed_at >= \(bind: from) AND closed_at < \(bind: to) AND (case_deadline IS NULL OR closed_at <= case_deadline)"
            )
            return 100 * onTime / closed
        default: // satisfactionRate: satisfied or basically satisfied among the ratings given in the period
            let row = try await db.raw(
                """
                SELECT COUNT(*) AS n, SUM(CASE WHEN r.satisfaction IN ('satisfied', 'basicallySatisfied') THEN 1 ELSE 0 END) AS good
                FROM case_ratings r JOIN cases ON cases.id = r.case_id
                WHERE \(inScope) AND r.rated_at >= \(bind: from) AND r.rated_at < \(bind: to)
                """
            ).first()
            let n = try row?.decode(column: "n", as: Int.self) ?? 0
            guard n > 0 else { return nil }
            return 100 * Double(try row?.decode(column: "good", as: Int?.self) ?? 0) / Double(n)
        }
    }

    /// avg, min or max of one metric over the devices of a kind in an area: recent raw readings
    /// and the hourly rollups older ones were rolled into (a reading is in one or the other).
    func telemetryAggregate(
        kind: String, metric: String, aggregate: String, scope: String, from: Int64, to: Int64,
        on db: any SQLDatabase
    ) async throws -> Double? {
        let devices: SQLQueryString = """
            JOIN series s ON s.id = x.series_id JOIN devices d ON d.id = s.device_id
            WHERE d.kind_code = \(bind: kind) AND s.metric = \(bind: metric) AND d.area_path LIKE \(bind: scope + "%")
            """
        // Raw readings on both sides of the fold point, in one statement (one snapshot).
        let raw = try await db.raw(
            """
            SELECT SUM(x.value) AS total, CAST(COUNT(*) AS DOUBLE PRECISION) AS n, MIN(x.value) AS low, MAX(x.value) AS high FROM (
                SELECT series_id, value FROM readings
                WHERE at >= \(bind: from) AND at < \(bind: to) AND at < \(unsafeRaw: RecentReadings.foldedSQL)
                UNION ALL
                SELECT series_id, value FROM readings_recent WHERE at >= \(bind: from) AND at < \(bind: to)) x \(devices)
            """
        ).first()
        let rolled = try await db.raw(
            """
            SELECT SUM(x.sum) AS total, CAST(SUM(x.count) AS DOUBLE PRECISION) AS n, MIN(x.min) AS low, MAX(x.max) AS high FROM reading_hourly x \(devices)
              AND x.hour >= \(bind: from) AND x.hour < \(bind: to)
            """
        ).first()
        func read(_ row: (any SQLRow)?, _ column: String) throws -> Double? {
            try row?.decode(column: column, as: Double?.self)
        }
        let count = (try read(raw, "n") ?? 0) + (try read(rolled, "n") ?? 0)
        guard count > 0 else { return nil }
        switch aggregate {
        case "min": return [try read(raw, "low"), try read(rolled, "low")].compactMap { $0 }.min()
        case "max": return [try read(raw, "high"), try read(rolled, "high")].compactMap { $0 }.max()
        default: return ((try read(raw, "total") ?? 0) + (try read(rolled, "total") ?? 0)) / count
        }
    }

    /// The newest value put in for an imported indicator at or before a period (population and
    /// area change seldom: last year's figure stands until a new one comes).
    func latestImported(code: String, areaId: String, notAfter start: Int64, on db: any SQLDatabase) async throws
        -> IndicatorValue?
    {
        try await db.select().column("*").from("indicator_values")
            .where("code", .equal, code).where("area_id", .equal, areaId).where("source", .equal, "imported")
            .where("period_start", .lessThanOrEqual, start).orderBy("period_start", .descending).limit(1)
            .first().map(Self.value)
    }

    /// The value stored for a period, if any (imported values are read this way).
    func stored(code: String, areaId: String, periodStart: Int64, on db: any SQLDatabase) async throws
        -> IndicatorValue?
    {
        try await db.select().column("*").from("indicator_values")
            .where("code", .equal, code).where("area_id", .equal, areaId).where("period_start", .equal, periodStart)
            .first().map(Self.value)
    }

    /// Puts a value in, replacing the one for the same indicator, area and period.
    func save(_ value: IndicatorValue, on db: any SQLDatabase) async throws {
        try await db.delete(from: "indicator_values").where("code", .equal, value.code)
            .where("area_id", .equal, value.areaId).where("period_start", .equal, value.periodStart).run()
        try await db.insert(into: "indicator_values")
            .columns("code", "area_id", "period_start", "period_end", "value", "colour", "source", "recorded_at")
            .values(
                SQLBind(value.code), SQLBind(value.areaId), SQLBind(value.periodStart), SQLBind(value.periodEnd),
                SQLBind(value.value), SQLBind(value.colour?.rawValue), SQLBind(value.source), SQLBind(value.recordedAt)
            ).run()
    }

    /// An indicator's history for an area, oldest first, at most `limit` periods up to `before`.
    func history(code: String, areaId: String, before: Int64, limit: Int, on db: any SQLDatabase) async throws
        -> [IndicatorValue]
    {
        try await db.select().column("*").from("indicator_values")
            .where("code", .equal, code).where("area_id", .equal, areaId).where("period_start", .lessThan, before)
            .orderBy("period_start", .descending).limit(limit).all().map(Self.value).reversed()
    }

    private static func value(_ row: any SQLRow) throws -> IndicatorValue {
        IndicatorValue(
            code: try row.decode(column: "code", as: String.self),
            areaId: try row.decode(column: "area_id", as: String.self),
            periodStart: try row.decode(column: "period_start", as: Int64.self),
            periodEnd: try row.decode(column: "period_end", as: Int64.self),
            value: try row.decode(column: "value", as: Double?.self),
            colour: try row.decode(column: "colour", as: String?.self).flatMap(AlarmSeverity.init(rawValue:)),
            source: try row.decode(column: "source", as: String.self),
            recordedAt: try row.decode(column: "recorded_at", as: Int64.self))
    }
}
