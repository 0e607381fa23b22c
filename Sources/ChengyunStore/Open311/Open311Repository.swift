import ChengyunCore
import Foundation
import SQLKit

/// Open311 submissions as received, and the case listings GET requests reads.
public struct Open311Repository: Sendable {
    public init() {}

    public struct Submission: Codable, Equatable, Sendable {
        public var token: String
        public var apiKeyId: String
        public var serviceCode: String
        /// The form as read (`Open311Submission` as JSON).
        public var payload: String
        public var mediaUrl: String?
        public var receivedAt: Int64
        public var caseId: String?
        public var errorCode: String?
        public var errorDescription: String?
        public var processedAt: Int64?

        public var form: Open311Submission {
            get throws { try JSONDecoder().decode(Open311Submission.self, from: Data(payload.utf8)) }
        }
    }

    public func insert(_ submission: Submission, on db: any SQLDatabase) async throws {
        try await db.insert(into: "open311_submissions").model(submission, with: rowEncoder).run()
    }

    public func find(token: String, on db: any SQLDatabase) async throws -> Submission? {
        try await db.select().column("*").from("open311_submissions").where("token", .equal, token)
            .first(decoding: Submission.self, with: rowDecoder)
    }

    /// Submissions not yet turned into cases, oldest first.
    public func pending(limit: Int, on db: any SQLDatabase) async throws -> [Submission] {
        try await db.select().column("*").from("open311_submissions").where("processed_at", .is, SQLLiteral.null)
            .orderBy("received_at").orderBy("token").limit(limit).all(decoding: Submission.self, with: rowDecoder)
    }

    /// Records what a pending submission became; false if another worker got there first.
    public func finish(token: String, caseId: String?, error: Open311Error?, at now: Int64, on db: any SQLDatabase)
        async throws -> Bool
    {
        try await !db.update("open311_submissions")
            .set("case_id", to: caseId).set("error_code", to: error?.code).set(
                "error_description", to: error?.description
            )
            .set("processed_at", to: now)
            .where("token", .equal, token).where("processed_at", .is, SQLLiteral.null)
            .returning("token").all().isEmpty
    }

    /// A case listed as a service request: the case, the original it was merged into (whose
    /// progress it shows), and the photo URL its app sent.
    public struct Listed: Sendable {
        public var record: Case
        public var original: Case?
        public var mediaURL: String?
    }

    /// Cases of the given matters, newest first. A merged report is open or closed as the case
    /// it was merged into is.
    public func requests(_ query: Open311Query, matterIds: [String], on db: any SQLDatabase) async throws -> [Listed] {
        guard !matterIds.isEmpty else { return [] }
        let c = "c", o = "o", s = "s"
        var select = db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier(c)))
            .column(SQLAlias(SQLColumn("media_url", table: s), as: SQLIdentifier("open311_media_url")))
            .from(SQLAlias(SQLIdentifier("cases"), as: SQLIdentifier(c)))
            .join(
                SQLAlias(SQLIdentifier("cases"), as: SQLIdentifier(o)), method: SQLJoinMethod.left,
                on: SQLColumn("id", table: o), .equal, SQLColumn("duplicate_of", table: c)
            )
            .join(
                SQLAlias(SQLIdentifier("open311_submissions"), as: SQLIdentifier(s)), method: SQLJoinMethod.left,
                on: SQLColumn("case_id", table: s), .equal, SQLColumn("id", table: c)
            )
            .where(SQLColumn("matter_id", table: c), .in, SQLBind.group(matterIds))
        if let ids = query.ids {
            guard !ids.isEmpty else { return [] }
            select = select.where(SQLColumn("number", table: c), .in, SQLBind.group(ids))
        } else {
            select = select.where(SQLColumn("reported_at", table: c), .greaterThanOrEqual, SQLBind(query.from))
                .where(SQLColumn("reported_at", table: c), .lessThan, SQLBind(query.to))
            if let open = query.open {
                let closed = [CaseState.closed, .rejected, .cancelled].map(\.rawValue)
                let state = SQLFunction("COALESCE", args: SQLColumn("state", table: o), SQLColumn("state", table: c))
                select = select.where(state, open ? .notIn : .in, SQLBind.group(closed))
            }
        }
        let rows = try await select.orderBy(
            SQLOrderBy(expression: SQLColumn("reported_at", table: c), direction: SQLDirection.descending)
        )
        .orderBy(SQLOrderBy(expression: SQLColumn("id", table: c), direction: SQLDirection.descending))
        .limit(Open311Query.maxResults).all()
        var listed = try rows.map { row -> Listed in
            Listed(
                record: try row.decode(model: CaseRepository.Row.self, with: rowDecoder).record(), original: nil,
                mediaURL: try row.decode(column: "open311_media_url", as: String?.self))
        }
        let originalIds = Array(Set(listed.compactMap(\.record.duplicateOf)))
        if !originalIds.isEmpty {
            let originals =
                try await db.select().column("*").from("cases").where("id", .in, SQLBind.group(originalIds))
                .all(decoding: CaseRepository.Row.self, with: rowDecoder).map { try $0.record() } as [Case]
            let byId = Dictionary(uniqueKeysWithValues: originals.map { ($0.id, $0) })
            for index in listed.indices {
                listed[index].original = listed[index].record.duplicateOf.flatMap { byId[$0] }
            }
        }
        return listed
    }

    /// The latest note of each case's history (a closing reply, a rejection's reason).
    public func lastNotes(caseIds: [String], on db: any SQLDatabase) async throws -> [String: String] {
        guard !caseIds.isEmpty else { return [:] }
        var notes: [String: String] = [:]
        for chunk in stride(from: 0, to: caseIds.count, by: 500).map({
            Array(caseIds[$0..<min($0 + 500, caseIds.count)])
        }) {
            // Only the note of a step that finished the case (its reply to the public); notes of
            // the steps on the way are the staff's own.
            let rows = try await db.select().column("case_id").column("note").from("case_events")
                .where("case_id", .in, SQLBind.group(chunk)).where("note", .isNot, SQLLiteral.null)
                .where("to_state", .in, SQLBind.group([CaseState.closed, .rejected, .cancelled].map(\.rawValue)))
                .orderBy("case_id").orderBy("seq").all()
            for row in rows {
                notes[try row.decode(column: "case_id", as: String.self)] = try row.decode(
                    column: "note", as: String.self)
            }
        }
        return notes
    }

    /// Department names by id.
    public func departmentNames(ids: [String], on db: any SQLDatabase) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.select().column("id").column("name").from("departments").where(
            "id", .in, SQLBind.group(ids)
        ).all()
        return Dictionary(
            try rows.map {
                (try $0.decode(column: "id", as: String.self), try $0.decode(column: "name", as: String.self))
            },
            uniquingKeysWith: { a, _ in a })
    }
}
