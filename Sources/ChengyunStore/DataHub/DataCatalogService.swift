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

    func standing(of actor: Principal?, over dataset: Dataset) -> DatasetStanding {
        guard let actor else { return [] }
        return .of(actor, ownerDepartmentId: dataset.ownerDepartmentId, areaPath: dataset.areaPath)
    }

    private func filter(_ query: Query, _ actor: Principal?) -> DatasetRepository.Filter {
        var drafts: DatasetRepository.Drafts?
        if let actor, actor.kind == .staff {
            if actor.roles.contains(.admin) {
                drafts = .under(actor.listScope)
            } else if let department = actor.departmentId {
                drafts = .ownedBy(department)
            }
        }
        return .init(
            text: query.text, states: query.states ?? DatasetState.allCases, drafts: drafts,
            sharingType: query.sharingType, ownerDepartmentId: query.ownerDepartmentId, tag: query.tag)
    }

    // MARK: Writing

    /// Registers a draft, owned by the department named (the caller's own when none is).
    public func register(_ draft: DatasetDraft, by actor: Principal) async throws -> Dataset {
        try Self.check(draft)
        try await installPlatformDatasets()
        let now = platform.now()
        return try await platform.write(
            actor, "dataset.register", target: "dataset", summary: { ($0.code, "\($0.title) v\($0.version)") }
        ) { db in
            let owner = try await owner(of: draft, by: actor, on: db)
            try await checkLineage(draft, by: actor, on: db)
            let dataset = Self.dataset(
                from: draft, id: Identifier.make(at: now), owner: owner, origin: .registered, by: actor.id, at: now)
            guard try await datasets.insert(dataset, on: db) else {
                throw DomainError(.conflict, code: "code_taken", "A dataset with code \(draft.code) exists.")
            }
            return dataset
        }
    }

    /// Rewrites a draft's metadata; its code stays.
    public func update(code: String, _ draft: DatasetDraft, by actor: Principal) async throws -> Dataset {
        try Self.check(draft)
        guard draft.code == code else {
            throw DomainError(.invalid, code: "code_immutable", "A dataset keeps its code; register a new one.")
        }
        let now = platform.now()
        return try await platform.write(
            actor, "dataset.update", target: "dataset", summary: { ($0.code, "\($0.title) v\($0.version)") }
        ) { db in
            let current = try await visible(code, to: actor, locking: true, on: db)
            guard standing(of: actor, over: current).contains(.owner), current.origin == .registered else {
                throw DomainError(.forbidden, code: "not_dataset_owner", DatasetRefusal.notYours(.submit).message)
            }
            guard DatasetLifecycle.isEditable(current.state) else {
                throw DomainError(.conflict, code: "not_draft", "Only a draft is edited; revise a withdrawn dataset.")
            }
            let owner = try await owner(of: draft, by: actor, on: db)
            try await checkLineage(draft, by: actor, on: db)
            var dataset = Self.dataset(
                from: draft, id: current.id, owner: owner, origin: .registered, by: current.createdBy,
                at: current.createdAt)
            (dataset.state, dataset.version, dataset.updatedAt) = (current.state, current.version, now)
            (dataset.reviewNote, dataset.submittedBy) = (current.reviewNote, current.submittedBy)
            try await datasets.update(dataset, on: db)
            return dataset
        }
    }

    /// Submits, approves, rejects, withdraws or revises a dataset (DatasetLifecycle's rules).
    public func act(code: String, _ action: DatasetAction, note: String?, by actor: Principal) async throws
        -> Dataset
    {
        var validator = Validator()
        validator.check((note ?? "").count <= 1000, "note", "too_long", "At most 1000 characters.")
        try validator.finish()
        let now = platform.now()
        return try await platform.write(
            actor, "dataset.\(action.rawValue)", target: "dataset",
            summary: { ($0.code, "\($0.state.rawValue) v\($0.version)" + (note.map { ": \($0)" } ?? "")) }
        ) { db in
            let current = try await visible(code, to: actor, locking: true, on: db)
            switch DatasetLifecycle.apply(
                action, to: current, standing: standing(of: actor, over: current), actorId: actor.id, note: note,
                at: now)
            {
            case .failure(let refusal):
                let kind: DomainError.Kind =
                    switch refusal {
                    case .notYours: .forbidden
                    case .noteRequired: .invalid
                    case .notInState, .ownSubmission: .conflict
                    }
                throw DomainError(kind, code: refusal.code, refusal.message)
            case .success(let dataset):
                try await datasets.update(dataset, on: db)
                return dataset
            }
        }
    }

    static func check(_ draft: DatasetDraft) throws {
        let issues = draft.issues()
        if !issues.isEmpty { throw DomainError.validation(issues) }
    }

    /// The owning department: the one named (which the caller must stand over as owner) or the caller's own.
    private func owner(of draft: DatasetDraft, by actor: Principal, on db: any SQLDatabase) async throws -> Department {
        guard let id = draft.ownerDepartmentId ?? actor.departmentId else {
            throw DomainError.validation([
                .init(field: "ownerDepartmentId", code: "required", message: "Name the department that owns the data.")
            ])
        }
        let department: Department
        do {
            department = try await platform.organisation.department(id: id, by: actor, on: db)
        } catch let error as DomainError where error.kind == .notFound {
            throw DomainError.validation([
                .init(field: "ownerDepartmentId", code: "unknown_department", message: "No department \(id).")
            ])
        }
        guard
            DatasetStanding.of(actor, ownerDepartmentId: department.id, areaPath: department.areaPath)
                .contains(.owner)
        else {
            throw DomainError(
                .forbidden, code: "not_dataset_owner", "You register datasets for your own department only.")
        }
        return department
    }

    /// The datasets a lineage names are in the catalog, as the caller sees it.
    private func checkLineage(_ draft: DatasetDraft, by actor: Principal, on db: any SQLDatabase) async throws {
        var validator = Validator()
        for (index, link) in (draft.lineage ?? []).enumerated() where link.kind == .dataset {
            let found = try await datasets.find(code: link.ref, on: db)
            validator.check(
                found.map { $0.state == .published || !standing(of: actor, over: $0).isEmpty } ?? false,
                "lineage[\(index)].ref", "unknown_dataset", "No dataset \(link.ref) in the catalog.")
        }
        try validator.finish()
    }

    static func dataset(
        from draft: DatasetDraft, id: String, owner: Department?, origin: DatasetOrigin, by actorId: String,
        at now: Int64
    ) -> Dataset {
        Dataset(
            id: id, code: draft.code, title: draft.title.trimmingCharacters(in: .whitespaces),
            titleEn: draft.titleEn, description: draft.description, ownerDepartmentId: owner?.id,
            ownerName: owner?.name ?? Self.centreName, ownerCode: owner?.code ?? Self.centreCode,
            areaPath: owner?.areaPath ?? "/", origin: origin,
            sharingType: draft.sharingType,
            sharingCondition: draft.sharingType == .unconditional ? nil : draft.sharingCondition,
            openType: draft.openType, updateCycle: draft.updateCycle, coverage: draft.coverage ?? .init(),
            tags: (draft.tags ?? []).map { $0.trimmingCharacters(in: .whitespaces) }, fields: draft.fields,
            lineage: draft.lineage ?? [], createdBy: actorId, createdAt: now)
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
