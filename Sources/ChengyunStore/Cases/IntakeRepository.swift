import ChengyunCore
import SQLKit

/// What the intake checks read and keep: a reporter's earlier reports, whether a matter was ever
/// handled in an area, and the invalid-report flags of each case (`case_intake_flags`).
public struct IntakeRepository: Sendable {
    public init() {}

    /// The reports of one reporter (their citizen account, else their contact) since `since`,
    /// newest first and at most `limit`.
    func priorReports(
        reporterId: String?, contact: String?, since: Int64, limit: Int = 200, on db: any SQLDatabase
    ) async throws -> [PriorReport] {
        let query = db.select().columns("description", "state", "reported_at").from("cases")
            .where("reported_at", .greaterThanOrEqual, since)
        if let reporterId {
            query.where("reporter_id", .equal, reporterId)
        } else if let contact, !contact.isEmpty {
            query.where("reporter_contact", .equal, contact)
        } else {
            return []
        }
        return try await query.orderBy("reported_at", .descending).limit(limit).all().map { row in
            PriorReport(
                description: try row.decode(column: "description", as: String.self),
                state: try row.decode(column: "state", as: CaseState.self),
                reportedAt: try row.decode(column: "reported_at", as: Int64.self))
        }
    }

    /// Whether a case of `matterId` was closed in an area at or under `areaPath` since `since`.
    func closedBefore(matterId: String, under areaPath: String, since: Int64, on db: any SQLDatabase) async throws
        -> Bool
    {
        try await db.select().column("id").from("cases").where("matter_id", .equal, matterId)
            .where("state", .equal, CaseState.closed.rawValue).where("closed_at", .greaterThanOrEqual, since)
            .inScope(areaPath).limit(1).first() != nil
    }

    func insert(_ flags: [IntakeFlag], caseId: String, at now: Int64, on db: any SQLDatabase) async throws {
        guard !flags.isEmpty else { return }
        let insert = db.insert(into: "case_intake_flags").columns("case_id", "code", "detail", "flagged_at")
        for flag in flags {
            insert.values(
                SQLBind(caseId), SQLBind(flag.code.rawValue), SQLBind(flag.detail), SQLBind(now))
        }
        try await insert.run()
    }

    /// Raises or clears one flag of a case.
    func set(_ code: IntakeFlag.Code, present: Bool, caseId: String, at now: Int64, on db: any SQLDatabase) async throws
    {
        try await db.delete(from: "case_intake_flags").where("case_id", .equal, caseId)
            .where("code", .equal, code.rawValue).run()
        if present { try await insert([IntakeFlag(code)], caseId: caseId, at: now, on: db) }
    }

    /// The flags of each of `caseIds` that has any.
    public func flags(of caseIds: [String], on db: any SQLDatabase) async throws -> [String: [IntakeFlag]] {
        guard !caseIds.isEmpty else { return [:] }
        var found: [String: [IntakeFlag]] = [:]
        for row in try await db.select().columns("case_id", "code", "detail").from("case_intake_flags")
            .where("case_id", .in, caseIds).orderBy("case_id").orderBy("code").all()
        {
            let code = try row.decode(column: "code", as: String.self)
            guard let known = IntakeFlag.Code(rawValue: code) else { continue }
            found[try row.decode(column: "case_id", as: String.self), default: []].append(
                IntakeFlag(known, detail: try row.decode(column: "detail", as: String?.self)))
        }
        return found
    }
}
