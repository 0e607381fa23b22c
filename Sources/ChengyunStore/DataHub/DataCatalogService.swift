import ChengyunCore
import Foundation
import SQLKit

/// The data catalog (资源目录): departments register their datasets, the operation centre
/// reviews and publishes them, and everyone reads what is published. The platform's own data
/// is registered by the platform itself (`installPlatformDatasets`).
public struct DataCatalogService: Sendable {
    let platform: Platform
    let datasets = DatasetRepository()

    /// A catalog search: free text over code, titles, description, owner and tags; the other
    /// filters exact. `nil` for `states` means every state the caller may see.
    public struct Query: Sendable {
        public var text: String?
        public var states: [DatasetState]?
        public var sharingType: SharingType?
        /// A department's id, or `centreCode` for the operation centre's own datasets.
        public var ownerDepartmentId: String?
        public var tag: String?
        /// More whole tags, all of which a dataset has.
        public var tags: [String] = []

        public init(
            text: String? = nil, states: [DatasetState]? = nil, sharingType: SharingType? = nil,
            ownerDepartmentId: String? = nil, tag: String? = nil
        ) {
            (self.text, self.states, self.sharingType) = (text, states, sharingType)
            (self.ownerDepartmentId, self.tag) = (ownerDepartmentId, tag)
        }
    }

    // MARK: Reading

    /// A page of the catalog by code. The public (`actor` nil) and machine keys see published
    /// datasets; staff see too the unpublished ones they stand over.
    public func search(_ query: Query, page: PageRequest, by actor: Principal?) async throws -> Page<Dataset> {
        try Self.check(query)
        try await installPlatformDatasets()
        let found = try await platform.pool.read { db in
            try await datasets.search(
                filter(query, actor), afterCode: page.afterId, limit: page.limit + 1, on: db)
        }
        return page.page(found, id: \.code)
    }

    /// A window of the catalog by position (CKAN's `start` and `rows`) and how many there are.
    public func search(_ query: Query, offset: Int, limit: Int, by actor: Principal?) async throws
        -> (count: Int, datasets: [Dataset])
    {
        try Self.check(query)
        try await installPlatformDatasets()
        return try await platform.pool.read { db in
            let filter = filter(query, actor)
            return (
                try await datasets.count(filter, on: db),
                try await datasets.search(filter, offset: offset, limit: limit, on: db)
            )
        }
    }

    /// A dataset the caller may see: published, or unpublished and theirs to stand over.
    public func dataset(code: String, by actor: Principal?) async throws -> Dataset {
        try await installPlatformDatasets()
        return try await platform.pool.read { try await visible(code, to: actor, on: $0) }
    }

    /// A published dataset by its code or its id (CKAN clients use either).
    public func published(codeOrId: String) async throws -> Dataset {
        try await installPlatformDatasets()
        let found = try await platform.pool.read { db -> Dataset? in
            if let byCode = try await datasets.find(code: codeOrId, on: db) { return byCode }
            return try await datasets.find(id: codeOrId, on: db)
        }
        guard let found, found.state == .published else { throw DomainError.notFound("Dataset \(codeOrId)") }
        return found
    }

    func visible(_ code: String, to actor: Principal?, locking: Bool = false, on db: any SQLDatabase) async throws
        -> Dataset
    {
        guard let dataset = try await datasets.find(code: code, locking: locking, on: db),
            dataset.state == .published || !standing(of: actor, over: dataset).isEmpty
        else { throw DomainError.notFound("Dataset \(code)") }
        return dataset
    }

    /// Searches are words and a tag, not documents.
    static func check(_ query: Query) throws {
        guard (query.text ?? "").count <= 200,
            ((query.tag.map { [$0] } ?? []) + query.tags).allSatisfy({ $0.count <= 40 })
        else {
            throw DomainError(.invalid, code: "invalid_parameter", "Search at most 200 characters, a tag at most 40.")
        }
    }

    func standing(of actor: Principal?, over dataset: Dataset) -> DatasetStanding {
        guard let actor else { return [] }
        return .of(actor, ownerDepartmentId: dataset.ownerDepartmentId, areaPath: dataset.areaPath)
    }

    private func filter(_ query: Query, _ actor: Principal?) -> DatasetRepository.Filter {
        var drafts: DatasetRepository.Drafts?
        if let actor, actor.kind == .staff {
            if actor.roles.contains(.admin) {
                // The centre looks after the whole catalog, the platform's own datasets included.
                drafts = .under(actor.hasPlatformScope ? "" : actor.listScope)
            } else if let department = actor.departmentId {
                drafts = .ownedBy(department)
            }
        }
        return .init(
            text: query.text, states: query.states ?? DatasetState.allCases, drafts: drafts,
            sharingType: query.sharingType, ownerDepartmentId: query.ownerDepartmentId,
            tags: (query.tag.map { [$0] } ?? []) + query.tags)
    }

    /// The owner named for the platform's own datasets.
    public static let centreName = "城市运行管理服务中心"
    public static let centreCode = "operation-centre"
}

extension DatasetDraft: StrictInput {
    public typealias Fields = CodingKeys
}

/// A lifecycle step on a dataset, with the note a rejection or withdrawal needs.
public struct DatasetActionInput: StrictInput {
    public var action: DatasetAction
    public var note: String?

    public enum Fields: String, CodingKey, CaseIterable { case action, note }

    public init(_ action: DatasetAction, note: String? = nil) {
        self.action = action
        self.note = note
    }
}
