import ChengyunCore
import Foundation
import SQLKit

/// Registration and publication: a department registers and edits drafts, the lifecycle moves
/// them on (DatasetLifecycle's rules), each write audited in its transaction.
extension DataCatalogService {
    /// Registers a draft, owned by the department named (the caller's own when none is).
    public func register(_ draft: DatasetDraft, by actor: Principal) async throws -> Dataset {
        try Self.check(draft)
        try await installPlatformDatasets()
        if draft.service != nil {
            // A service's name is looked up for a caller who may register it, and for no one else.
            try Self.notReserved(draft.code)
            _ = try await platform.pool.read {
                try await owner(of: draft, by: actor, default: actor.departmentId, on: $0)
            }
            try await Self.lookUp(draft)
        }
        let now = platform.now()
        return try await platform.write(
            actor, "dataset.register", target: "dataset", summary: { ($0.code, "\($0.title) v\($0.version)") }
        ) { db in
            try Self.notReserved(draft.code)
            let owner = try await owner(of: draft, by: actor, default: actor.departmentId, on: db)
            try await checkLineage(draft, by: actor, on: db)
            var dataset = Self.dataset(
                from: draft, id: Identifier.make(at: now), owner: owner, origin: .registered, by: actor.id, at: now)
            dataset.editors = [actor.id]
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
        if draft.service != nil {
            _ = try await platform.pool.read { try await editable(code, draft, by: actor, locking: false, on: $0) }
            try await Self.lookUp(draft)
        }
        let now = platform.now()
        return try await platform.write(
            actor, "dataset.update", target: "dataset", summary: { ($0.code, "\($0.title) v\($0.version)") }
        ) { db in
            let (current, owner) = try await editable(code, draft, by: actor, locking: true, on: db)
            try await checkLineage(draft, by: actor, on: db)
            var dataset = Self.dataset(
                from: draft, id: current.id, owner: owner, origin: .registered, by: current.createdBy,
                at: current.createdAt)
            (dataset.state, dataset.version, dataset.updatedAt) = (current.state, current.version, now)
            (dataset.reviewNote, dataset.submittedBy) = (current.reviewNote, current.submittedBy)
            dataset.publishedAt = current.publishedAt
            dataset.editors = Array(Set((current.editors ?? []) + [actor.id])).sorted()
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
            if action == .submit || action == .approve { try await checkLineagePublished(current, on: db) }
            switch DatasetLifecycle.apply(
                action, to: current, standing: standing(of: actor, over: current), actorId: actor.id, note: note,
                at: now)
            {
            case .failure(let refusal):
                throw DomainError(refusal)
            case .success(let dataset):
                try await datasets.update(dataset, on: db)
                return dataset
            }
        }
    }

    private static func notReserved(_ code: String) throws {
        guard !(try shipped.get()).contains(where: { $0.dataset.code == code }) else {
            throw DomainError(.conflict, code: "code_reserved", "\(code) is the platform's own dataset's code.")
        }
    }

    static func check(_ draft: DatasetDraft) throws {
        let issues = draft.issues()
        if !issues.isEmpty { throw DomainError.validation(issues) }
    }

    /// A service's base URL looked up (`OutboundAddress.checkNames`), once the caller may write it.
    private static func lookUp(_ draft: DatasetDraft) async throws {
        try await OutboundAddress.checkNames([("service.url", draft.service?.url)])
    }

    /// The draft `code` as the caller may rewrite it (their own department's, registered, still a
    /// draft), with the department that will own it.
    private func editable(
        _ code: String, _ draft: DatasetDraft, by actor: Principal, locking: Bool, on db: any SQLDatabase
    ) async throws -> (Dataset, Department) {
        let current = try await visible(code, to: actor, locking: locking, on: db)
        guard standing(of: actor, over: current).contains(.owner), current.origin == .registered else {
            throw DomainError(.forbidden, code: "not_dataset_owner", DatasetRefusal.notYours(.submit).message)
        }
        guard DatasetLifecycle.isEditable(current.state) else {
            throw DomainError(.conflict, code: "not_draft", "Only a draft is edited; revise a withdrawn dataset.")
        }
        return (current, try await owner(of: draft, by: actor, default: current.ownerDepartmentId, on: db))
    }

    /// The owning department: the one named (which the caller must stand over as owner) or the caller's own.
    private func owner(of draft: DatasetDraft, by actor: Principal, default fallback: String?, on db: any SQLDatabase)
        async throws -> Department
    {
        guard let id = draft.ownerDepartmentId ?? fallback else {
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

    /// What the catalog publishes names only what it has published: a dataset's lineage links
    /// point at published datasets when it goes for review and when it is approved.
    private func checkLineagePublished(_ dataset: Dataset, on db: any SQLDatabase) async throws {
        for link in dataset.lineage where link.kind == .dataset {
            guard try await datasets.find(code: link.ref, on: db)?.state == .published else {
                throw DomainError(
                    .conflict, code: "lineage_unpublished",
                    "The lineage names \(link.ref), which is not published: publish it first or drop the link.")
            }
        }
    }

    static func dataset(
        from draft: DatasetDraft, id: String, owner: Department?, origin: DatasetOrigin, by actorId: String,
        at now: Int64
    ) -> Dataset {
        var dataset = Dataset(
            id: id, code: draft.code, title: draft.title.trimmingCharacters(in: .whitespaces),
            titleEn: draft.titleEn, description: draft.description, ownerDepartmentId: owner?.id,
            ownerName: owner?.name ?? Self.centreName, ownerCode: owner?.code ?? Self.centreCode,
            areaPath: owner?.areaPath ?? "/", origin: origin,
            sharingType: draft.sharingType,
            sharingCondition: draft.sharingType == .unconditional ? nil : draft.sharingCondition,
            openType: draft.openType, updateCycle: draft.updateCycle, coverage: draft.coverage ?? .init(),
            tags: (draft.tags ?? []).map { $0.trimmingCharacters(in: .whitespaces) }, fields: draft.fields,
            lineage: draft.lineage ?? [], createdBy: actorId, createdAt: now)
        dataset.service = draft.service
        return dataset
    }

}
