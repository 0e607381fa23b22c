import ChengyunCore
import SQLKit

/// Each grant's count against its rate and daily quota, and the access log (访问日志).
/// The count is one conditional `UPDATE` of the grant's row: the database serialises concurrent
/// requests on it, so no two nodes, and no burst of requests, exceed a limit between them. The
/// windows only move forward: a node whose clock lags counts into the newer window rather than
/// resetting it.
struct AccessUsageRepository: Sendable {
    /// The grant's counters, at nothing used; written when it is approved.
    func open(applicationId: String, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO access_usage (application_id, minute, minute_used, day, day_used)
            VALUES (\(bind: applicationId), 0, 0, 0, 0) ON CONFLICT (application_id) DO NOTHING
            """
        ).run()
    }

    /// Counts one request if both limits allow it; otherwise says which refused it.
    func take(_ grant: AccessApplication, _ meter: AccessMeter, on db: any SQLDatabase) async throws -> AccessOutcome {
        let (minute, day) = (meter.minute, meter.day)
        let counted = try await db.raw(
            """
            UPDATE access_usage SET
                minute_used = CASE WHEN minute >= \(bind: minute) THEN minute_used + 1 ELSE 1 END,
                day_used = CASE WHEN day >= \(bind: day) THEN day_used + 1 ELSE 1 END,
                minute = CASE WHEN minute >= \(bind: minute) THEN minute ELSE \(bind: minute) END,
                day = CASE WHEN day >= \(bind: day) THEN day ELSE \(bind: day) END
            WHERE application_id = \(bind: grant.id)
                AND (minute < \(bind: minute) OR minute_used < \(bind: grant.ratePerMinute))
                AND (day < \(bind: day) OR day_used < \(bind: grant.dailyQuota))
            RETURNING application_id
            """
        ).all()
        if !counted.isEmpty { return .admitted }
        let row = try await db.select().column("day").column("day_used").from("access_usage")
            .where("application_id", .equal, grant.id).first()
        let dayUsed =
            try row.map {
                try $0.decode(column: "day", as: Int64.self) == day ? $0.decode(column: "day_used", as: Int64.self) : 0
            } ?? 0
        return dayUsed >= Int64(grant.dailyQuota) ? .quotaExhausted : .rateLimited
    }

    /// Used so far in the meter's minute and day.
    func used(applicationId: String, _ meter: AccessMeter, on db: any SQLDatabase) async throws
        -> (minute: Int, day: Int)
    {
        guard
            let row = try await db.select().columns("minute", "minute_used", "day", "day_used").from("access_usage")
                .where("application_id", .equal, applicationId).first()
        else { return (0, 0) }
        let minute =
            try row.decode(column: "minute", as: Int64.self) == meter.minute
            ? try row.decode(column: "minute_used", as: Int.self) : 0
        let day =
            try row.decode(column: "day", as: Int64.self) == meter.day
            ? try row.decode(column: "day_used", as: Int.self) : 0
        return (minute, day)
    }

    func log(_ entry: AccessLogEntry, on db: any SQLDatabase) async throws {
        try await db.insert(into: "dataset_access_log").model(entry, with: rowEncoder).run()
    }

    /// Several entries, a few hundred to a statement; one already written (a commit whose answer
    /// was lost, written again) is left as it is.
    func log(_ entries: [AccessLogEntry], on db: any SQLDatabase) async throws {
        for part in entries.chunks(of: 200) {
            try await db.insert(into: "dataset_access_log").models(part, with: rowEncoder)
                .ignoringConflicts(with: ["id"]).run()
        }
    }

    /// The newest entries first, of a dataset or of one grant.
    func list(datasetId: String, applicationId: String?, page: PageRequest, on db: any SQLDatabase) async throws
        -> Page<AccessLogEntry>
    {
        let query = db.select().column("*").from("dataset_access_log").where("dataset_id", .equal, datasetId)
        if let applicationId { query.where("application_id", .equal, applicationId) }
        if let after = page.afterId { query.where("id", .lessThan, after) }
        let rows = try await query.orderBy("id", .descending).limit(page.limit + 1)
            .all(decoding: AccessLogEntry.self, with: rowDecoder)
        return page.page(rows, id: \.id)
    }
}

/// One request read by a grant: who, when, what, and what the meter said.
public struct AccessLogEntry: Codable, Equatable, Sendable {
    public var id: String
    public var datasetId: String
    /// The grant it was read by; nil (absent in JSON), and counted by no meter, for a service call
    /// made without one (its owner's, the centre's, any staff's of a service shared
    /// unconditionally) and for a consumer's read of a dataset's records by its sharing
    /// (`DatasetStanding.logsReadsWithoutGrant`).
    public var applicationId: String?
    public var consumer: String
    /// `key` for a system's key, `staff` for a member of the consuming department.
    public var callerKind: String
    public var callerId: String
    /// `records`, `window` (CKAN `datastore_search`) or `export`; a service's call, its method and
    /// path (`GET /stations`).
    public var operation: String
    public var outcome: AccessOutcome
    public var at: Int64
}
