import ChengyunCore
import SQLKit

/// What a reporter does after reporting: follow the report (signed-in citizens see theirs; anyone
/// with the number and the contact left on it sees that one), read the reply once the case is
/// finished, and rate it once it is closed (回访) — once.
public struct ReportFollowUp: Sendable {
    let platform: Platform
    let cases = CaseRepository()

    public struct RatingInput: StrictInput {
        public var satisfaction: Satisfaction
        public var comment: String?
        /// For reports made without an account: the contact left on the report.
        public var contact: String?
        public enum CodingKeys: String, CodingKey, CaseIterable { case satisfaction, comment, contact }
        public typealias Fields = CodingKeys
        public init(satisfaction: Satisfaction, comment: String? = nil, contact: String? = nil) {
            self.satisfaction = satisfaction
            self.comment = comment
            self.contact = contact
        }
    }

    /// A signed-in citizen's reports, newest first.
    public func mine(by citizen: Principal) async throws -> [ReportProgress] {
        guard citizen.kind == .citizen else {
            throw DomainError(.forbidden, code: "forbidden", "This is for citizen accounts.")
        }
        return try await platform.pool.read { db in
            let ids = try await db.select().column("id").from("cases").where("reporter_id", .equal, citizen.id)
                .orderBy("reported_at", .descending).limit(200).all().map {
                    try $0.decode(column: "id", as: String.self)
                }
            var list: [ReportProgress] = []
            for id in ids {
                if let report = try await cases.find(id: id, on: db) {
                    list.append(try await progress(of: report, on: db))
                }
            }
            return list
        }
    }

    /// One of the caller's own reports (a citizen's or a machine key's), by id or number: the
    /// public view of a case, never its history, handlers or other reporters.
    public func own(id: String, by reporter: Principal) async throws -> ReportProgress {
        try await platform.pool.read { db in try await progress(of: try ownReport(id: id, by: reporter, on: db), on: db)
        }
    }

    private func ownReport(id: String, by reporter: Principal, on db: any SQLDatabase) async throws -> Case {
        let found = try await cases.find(idOrNumber: id, on: db)
        guard reporter.kind != .staff, let found, found.reporterId == reporter.id else {
            throw DomainError.notFound("Report")
        }
        return found
    }

    /// One report by its number, for whoever has the contact left on it.
    public func find(number: String, contact: String) async throws -> ReportProgress {
        try await platform.pool.read { db in
            try await progress(of: try report(number: number, contact: contact, on: db), on: db)
        }
    }

    public func rate(reportId: String, _ input: RatingInput, by actor: Principal) async throws -> ReportProgress {
        var validator = Validator()
        validator.check(
            (input.comment ?? "").count <= 1000, "comment", "too_long", "A comment has at most 1000 characters.")
        try validator.finish()
        return try await platform.write(
            actor, "case.rate", target: "case", summary: { ($0.id, "\($0.number) \(input.satisfaction.rawValue)") }
        ) { db in
            let report: Case
            if actor.kind == .citizen && actor.id != Principal.anonymousCitizen.id {
                report = try await ownReport(id: reportId, by: actor, on: db)
            } else {
                report = try await self.report(number: reportId, contact: input.contact ?? "", on: db)
            }
            let followed = try await followedCase(of: report, on: db)
            guard followed.state == .closed else {
                throw DomainError(.conflict, code: "not_closed", "A report is rated once its case is closed.")
            }
            if try await rating(of: report.id, on: db) != nil {
                throw DomainError(.conflict, code: "already_rated", "This report has been rated.")
            }
            let comment = input.comment?.trimmingCharacters(in: .whitespacesAndNewlines)
            let rating = CaseRating(
                reportCaseId: report.id, caseId: followed.id, satisfaction: input.satisfaction,
                comment: comment?.isEmpty == false ? comment : nil, ratedAt: platform.now())
            try await db.insert(into: "case_ratings").model(rating, with: rowEncoder).run()
            return try await progress(of: report, on: db)
        }
    }

    private func report(number: String, contact: String, on db: any SQLDatabase) async throws -> Case {
        // The same answer for a wrong number and a wrong contact: nothing to probe with.
        guard !contact.isEmpty, let found = try await cases.find(number: number, on: db),
            found.reporterContact == contact, found.source == .citizen
        else { throw DomainError.notFound("Report") }
        return found
    }

    private func followedCase(of report: Case, on db: any SQLDatabase) async throws -> Case {
        guard let original = report.duplicateOf else { return report }
        return try await cases.find(id: original, on: db) ?? report
    }

    private func rating(of reportId: String, on db: any SQLDatabase) async throws -> CaseRating? {
        try await db.select().column("*").from("case_ratings").where("report_case_id", .equal, reportId)
            .first(decoding: CaseRating.self, with: rowDecoder)
    }

    private func progress(of report: Case, on db: any SQLDatabase) async throws -> ReportProgress {
        let followed = try await followedCase(of: report, on: db)
        let matter = try await MatterRepository().find(id: report.matterId, version: report.matterVersion, on: db)
        // The reply is the note of the step that finished the case (close, reject, cancel) and
        // nothing else: notes of earlier steps are the staff's own.
        let finishing =
            followed.state.isTerminal && followed.state != .merged
            ? try await cases.events(caseId: followed.id, on: db).last : nil
        let reply = finishing.flatMap { $0.toState == followed.state && $0.note?.isEmpty == false ? $0.note : nil }
        let rating = try await rating(of: report.id, on: db)
        return ReportProgress(
            id: report.id, number: report.number, matterName: matter?.name ?? report.matterCode,
            description: report.description, address: report.address, reportedAt: report.reportedAt,
            state: followed.state, mergedInto: report.duplicateOf == nil ? nil : followed.number, reply: reply,
            closedAt: followed.closedAt, rating: rating, canRate: followed.state == .closed && rating == nil)
    }
}
