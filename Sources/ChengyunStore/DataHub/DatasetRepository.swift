import ChengyunCore
import Foundation
import SQLKit

/// Datasets in the database: the searched and scoped columns, and the whole dataset as JSON.
struct DatasetRepository: Sendable {
    /// What a catalog search asks for.
    struct Filter: Sendable {
        var text: String?
        var states: [DatasetState]
        /// Which unpublished datasets the caller sees besides the published ones: those under an
        /// area path (an administrator's scope) or of one department (its staff); none when nil.
        var drafts: Drafts?
        var sharingType: SharingType?
        var ownerDepartmentId: String?
        var tags: [String]
    }

    enum Drafts: Sendable {
        case under(String)
        case ownedBy(String)
    }

    /// Writes a new dataset; false when its code is taken (another node's install won, or a
    /// registration raced this one).
    func insert(_ dataset: Dataset, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw(
            """
            INSERT INTO datasets (id, code, origin, state, version, owner_department_id, area_path, sharing_type,
                open_type, search_text, document, created_at, updated_at, published_at)
            VALUES (\(bind: dataset.id), \(bind: dataset.code), \(bind: dataset.origin.rawValue),
                \(bind: dataset.state.rawValue), \(bind: dataset.version), \(bind: dataset.ownerDepartmentId),
                \(bind: dataset.areaPath), \(bind: dataset.sharingType.rawValue), \(bind: dataset.openType.rawValue),
                \(bind: Self.searchText(dataset)), \(bind: try Self.document(dataset)), \(bind: dataset.createdAt),
                \(bind: dataset.updatedAt), \(bind: dataset.publishedAt))
            ON CONFLICT (code) DO NOTHING RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    func update(_ dataset: Dataset, on db: any SQLDatabase) async throws {
        try await db.update("datasets")
            .set("state", to: dataset.state.rawValue).set("version", to: dataset.version)
            .set("owner_department_id", to: dataset.ownerDepartmentId).set("area_path", to: dataset.areaPath)
            .set("sharing_type", to: dataset.sharingType.rawValue).set("open_type", to: dataset.openType.rawValue)
            .set("search_text", to: Self.searchText(dataset)).set("document", to: try Self.document(dataset))
            .set("updated_at", to: dataset.updatedAt).set("published_at", to: dataset.publishedAt)
            .where("id", .equal, dataset.id).run()
    }

    /// A dataset by its code; `locking` it (PostgreSQL: `FOR UPDATE`) holds back another change
    /// of the same dataset until this transaction ends.
    func find(code: String, locking: Bool = false, on db: any SQLDatabase) async throws -> Dataset? {
        let query = db.select().column("document").from("datasets").where("code", .equal, code)
        if locking, db.dialect.name == "postgresql" { query.for(.update) }
        return try await query.first().map(Self.dataset)
    }

    func find(id: String, on db: any SQLDatabase) async throws -> Dataset? {
        try await db.select().column("document").from("datasets").where("id", .equal, id).first().map(Self.dataset)
    }

    /// Every dataset of an origin (the platform's own, to install and refresh them).
    func all(origin: DatasetOrigin, on db: any SQLDatabase) async throws -> [Dataset] {
        try await db.select().column("document").from("datasets").where("origin", .equal, origin.rawValue)
            .all().map(Self.dataset)
    }

    /// A page of the catalog by code, after `afterCode`.
    func search(_ filter: Filter, afterCode: String?, limit: Int, on db: any SQLDatabase) async throws -> [Dataset] {
        let query = Self.matching(filter, db.select().column("document").from("datasets"))
        if let afterCode { query.where(Self.code(db), .greaterThan, SQLBind(afterCode)) }
        return try await query.orderBy(Self.code(db)).limit(limit).all().map(Self.dataset)
    }

    /// A page of the catalog by code from `offset` (CKAN's `start`).
    func search(_ filter: Filter, offset: Int, limit: Int, on db: any SQLDatabase) async throws -> [Dataset] {
        try await Self.matching(filter, db.select().column("document").from("datasets"))
            .orderBy(Self.code(db)).offset(offset).limit(limit).all().map(Self.dataset)
    }

    /// How many datasets a filter finds (CKAN's `count`).
    func count(_ filter: Filter, on db: any SQLDatabase) async throws -> Int {
        let row = try await Self.matching(filter, db.select().column(SQLRaw("COUNT(*)"), as: "n").from("datasets"))
            .first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    private static func matching(_ filter: Filter, _ query: SQLSelectBuilder) -> SQLSelectBuilder {
        query.where { group in
            let group = group.where("state", .equal, DatasetState.published.rawValue)
            return switch filter.drafts {
            case .under(let path):
                group.orWhere { $0.where("state", .notEqual, DatasetState.published.rawValue).inScope(path) }
            case .ownedBy(let department):
                group.orWhere {
                    $0.where("state", .notEqual, DatasetState.published.rawValue)
                        .where("owner_department_id", .equal, department)
                }
            case nil: group
            }
        }
        query.where("state", .in, filter.states.map(\.rawValue))
        // Every word of the text, anywhere (CKAN's q: words, not a phrase).
        for word in (filter.text ?? "").lowercased().split(whereSeparator: \.isWhitespace) {
            query.where(contains("%" + escapedLike(String(word)) + "%"))
        }
        for tag in filter.tags { query.where(contains("%\u{1F}" + escapedLike(tag.lowercased()) + "\u{1F}%")) }
        if let sharing = filter.sharingType { query.where("sharing_type", .equal, sharing.rawValue) }
        if filter.ownerDepartmentId == DataCatalogService.centreCode {
            query.where("owner_department_id", .is, SQLLiteral.null)
        } else if let owner = filter.ownerDepartmentId {
            query.where("owner_department_id", .equal, owner)
        }
        return query
    }

    /// The code in byte order on both backends (PostgreSQL's locale collation weighs `-` and `_`
    /// otherwise), so the catalog pages alike everywhere.
    private static func code(_ db: any SQLDatabase) -> any SQLExpression {
        db.dialect.name == "postgresql" ? SQLRaw("code COLLATE \"C\"") : SQLIdentifier("code")
    }

    private static func contains(_ pattern: String) -> SQLQueryString {
        "search_text LIKE \(bind: pattern) ESCAPE '!'"
    }

    /// Code, titles, description and tags lower-cased; tags between unit separators, so a tag
    /// filter matches a whole tag.
    static func searchText(_ dataset: Dataset) -> String {
        let tags = dataset.tags.map { "\u{1F}\($0.lowercased())\u{1F}" }.joined()
        return [dataset.code, dataset.title, dataset.titleEn ?? "", dataset.description, dataset.ownerName]
            .joined(separator: " ").lowercased() + " " + tags
    }

    /// `text` matched literally by a LIKE with `ESCAPE '!'`.
    static func escapedLike(_ text: String) -> String {
        text.replacingOccurrences(of: "!", with: "!!").replacingOccurrences(of: "%", with: "!%")
            .replacingOccurrences(of: "_", with: "!_")
    }

    static func document(_ dataset: Dataset) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(dataset), as: UTF8.self)
    }

    static func dataset(_ row: any SQLRow) throws -> Dataset {
        try JSONDecoder().decode(Dataset.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
    }
}
