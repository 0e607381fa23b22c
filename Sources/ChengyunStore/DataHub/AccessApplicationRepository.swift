import ChengyunCore
import Foundation
import SQLKit

/// Access applications in the database: the columns searched by, the whole application as JSON.
struct AccessApplicationRepository: Sendable {
    /// Which applications a list asks for.
    enum Filter: Sendable {
        /// A consuming department's (or, for one without, the applicant's own).
        case consumer(departmentId: String?, applicantId: String)
        /// Those awaiting the owner on the datasets given (nil: every dataset), and those awaiting
        /// the centre when the caller is the centre.
        case awaiting(owned: [String]?, centre: Bool)
        /// Every application on the datasets given (nil: every dataset).
        case datasets([String]?)
    }

    func insert(_ application: AccessApplication, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO access_applications (id, dataset_id, department_id, applicant_id, state, awaiting, document,
                applied_at, updated_at, expires_at)
            VALUES (\(bind: application.id), \(bind: application.datasetId), \(bind: application.departmentId),
                \(bind: application.applicantId), \(bind: application.state.rawValue),
                \(bind: application.awaiting?.rawValue), \(bind: try Self.document(application)),
                \(bind: application.appliedAt), \(bind: application.updatedAt), \(bind: application.expiresAt))
            """
        ).run()
    }

    func update(_ application: AccessApplication, on db: any SQLDatabase) async throws {
        try await db.update("access_applications")
            .set("state", to: application.state.rawValue).set("awaiting", to: application.awaiting?.rawValue)
            .set("document", to: try Self.document(application)).set("updated_at", to: application.updatedAt)
            .set("expires_at", to: application.expiresAt)
            .where("id", .equal, application.id).run()
    }

    /// An application by id; `locking` it (PostgreSQL: `FOR UPDATE`) holds back a concurrent decision.
    func find(id: String, locking: Bool = false, on db: any SQLDatabase) async throws -> AccessApplication? {
        let query = db.select().column("document").from("access_applications").where("id", .equal, id)
        if locking, db.dialect.name == "postgresql" { query.for(.update) }
        return try await query.first().map(Self.application)
    }

    /// The newest grant a department holds on a dataset that is still in force at `now`.
    func activeGrant(datasetId: String, departmentId: String, at now: Int64, on db: any SQLDatabase) async throws
        -> AccessApplication?
    {
        try await db.select().column("document").from("access_applications")
            .where("dataset_id", .equal, datasetId).where("department_id", .equal, departmentId)
            .where("state", .equal, AccessState.approved.rawValue).where("expires_at", .greaterThan, now)
            .orderBy("id", .descending).first().map(Self.application)
    }

    func list(_ filter: Filter, state: AccessState?, page: PageRequest, on db: any SQLDatabase) async throws
        -> Page<AccessApplication>
    {
        let query = db.select().column("id").column("document").from("access_applications")
        switch filter {
        case .consumer(let departmentId, let applicantId):
            if let departmentId {
                query.where("department_id", .equal, departmentId)
            } else {
                query.where("applicant_id", .equal, applicantId)
            }
        case .awaiting(let owned, let centre):
            query.where { group in
                group.where { owner in
                    owner.where("awaiting", .equal, AccessStage.owner.rawValue)
                    if let owned { owner.where("dataset_id", .in, owned.isEmpty ? [""] : owned) }
                    return owner
                }
                if centre { group.orWhere("awaiting", .equal, AccessStage.centre.rawValue) }
                return group
            }
        case .datasets(let ids):
            if let ids { query.where("dataset_id", .in, ids.isEmpty ? [""] : ids) }
        }
        if let state { query.where("state", .equal, state.rawValue) }
        let rows = try await page.apply(to: query).all().map(Self.application)
        return page.page(rows, id: \.id)
    }

    static func document(_ application: AccessApplication) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(application), as: UTF8.self)
    }

    static func application(_ row: any SQLRow) throws -> AccessApplication {
        try JSONDecoder().decode(
            AccessApplication.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
    }
}
