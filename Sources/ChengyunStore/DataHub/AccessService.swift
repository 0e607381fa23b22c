import ChengyunCore
import Foundation
import SQLKit

/// Exchange (数据交换): consumers apply for access to published datasets, the owner department
/// and (for conditional sharing) the operation centre approve in turn, and an approved
/// application is a grant — read by the consuming department's staff and by the scoped key its
/// systems collect — metered against a rate and a daily quota and logged, until it expires or is
/// revoked. Each step is audited in its transaction (AccessLifecycle's rules).
public struct AccessService: Sendable {
    let platform: Platform
    let applications = AccessApplicationRepository()
    let usage = AccessUsageRepository()
    let keys = APIKeyRepository()

    public init(platform: Platform) { self.platform = platform }

    /// Applies for access to a published dataset, for the caller's department (or, for a
    /// platform administrator without one, for a system of the centre's).
    public func apply(code: String, _ input: AccessApplicationInput, by actor: Principal) async throws
        -> AccessApplication
    {
        var validator = Validator()
        validator.check((input.system ?? "").count <= 100, "system", "too_long", "At most 100 characters.")
        let centreSystem = actor.departmentId == nil
        if centreSystem {
            guard actor.roles.contains(.admin), actor.hasPlatformScope else {
                throw DomainError(
                    .forbidden, code: "no_department",
                    "Access is applied for by a department's staff, or by the centre.")
            }
            validator.check(
                !(input.system ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "system", "required",
                "Name the system the centre applies for.")
        }
        try validator.finish()
        try await platform.dataCatalog.installPlatformDatasets()
        let now = platform.now()
        return try await platform.write(
            actor, "access.apply", target: "access_application",
            summary: { ($0.id, "\($0.datasetCode) for \($0.consumer): \($0.fields.joined(separator: ","))") }
        ) { db in
            let dataset = try await platform.dataCatalog.visible(code, to: actor, on: db)
            if let refusal = AccessLifecycle.refusalToApply(dataset, consumerDepartmentId: actor.departmentId) {
                throw DomainError(refusal)
            }
            var terms = input.terms
            let issues = terms.issues(for: dataset)
            guard issues.isEmpty else { throw DomainError.validation(issues) }
            terms.fields = terms.ordered(by: dataset)
            var consumer = DataCatalogService.centreName
            if let department = actor.departmentId {
                consumer = try await DepartmentRepository().find(id: department, on: db)?.name ?? department
            }
            let application = AccessApplication(
                id: Identifier.make(at: now), datasetId: dataset.id, datasetCode: dataset.code,
                departmentId: actor.departmentId, consumer: consumer,
                system: input.system.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 },
                terms: terms, stages: AccessLifecycle.stages(for: dataset, consumerDepartmentId: actor.departmentId),
                applicantId: actor.id, appliedAt: now)
            try await applications.insert(application, on: db)
            return application
        }
    }

    /// Approves, rejects, withdraws or revokes an application (AccessLifecycle's rules). The last
    /// approval opens the grant's meter; a revocation ends its keys.
    public func act(id: String, _ action: AccessAction, note: String?, by actor: Principal) async throws
        -> AccessApplication
    {
        var validator = Validator()
        validator.check((note ?? "").count <= 1000, "note", "too_long", "At most 1000 characters.")
        try validator.finish()
        let now = platform.now()
        return try await platform.write(
            actor, "access.\(action.rawValue)", target: "access_application",
            summary: { ($0.id, "\($0.datasetCode) \($0.state.rawValue)" + (note.map { ": \($0)" } ?? "")) }
        ) { db in
            let (current, dataset) = try await visible(id, to: actor, locking: true, on: db)
            // Approved only while the dataset is still published and shared on some terms.
            if action == .approve, let refusal = AccessLifecycle.refusalToApply(dataset, consumerDepartmentId: nil) {
                throw DomainError(refusal)
            }
            let decider = Self.actor(actor, over: dataset)
            switch AccessLifecycle.apply(action, to: current, by: decider, note: note, at: now) {
            case .failure(let refusal):
                throw DomainError(refusal)
            case .success(let next):
                try await applications.update(next, on: db)
                if next.state == .approved { try await usage.open(applicationId: next.id, on: db) }
                if next.state == .revoked { try await keys.revoke(grantId: next.id, at: now, on: db) }
                return next
            }
        }
    }

    /// Issues the grant's key for the consumer's systems (the secret is shown once); a key issued
    /// before is revoked, so a leaked one is replaced by collecting anew. The key reads this
    /// dataset alone, within the grant's fields, rate, quota and expiry.
    public func issueKey(id: String, by actor: Principal) async throws -> IssuedAPIKey {
        let now = platform.now()
        return try await platform.write(
            actor, "access.key", target: "access_application",
            summary: { ($0.key.grantId ?? "", "key \($0.key.prefix) until \($0.key.expiresAt ?? 0)") }
        ) { db in
            var (application, dataset) = try await visible(id, to: actor, locking: true, on: db)
            guard Self.actor(actor, over: dataset).isConsumer(of: application) else {
                throw DomainError(AccessRefusal.notYours)
            }
            guard application.isActive(at: now) else {
                throw DomainError(.conflict, code: "not_in_force", "The application is not an approved grant in force.")
            }
            try await keys.revoke(grantId: application.id, at: now, on: db)
            let material = APIKeyMaterial.generate()
            let scope = actor.scope ?? AreaScope(areaId: "", path: "/")
            var key = APIKey(
                id: Identifier.make(at: now),
                name: "\(application.datasetCode) · \(application.system ?? application.consumer)",
                prefix: material.prefix, scopes: [.dataRead], areaId: scope.areaId, areaPath: scope.path,
                createdBy: actor.id, createdAt: now, rateLimitPerMinute: application.ratePerMinute)
            (key.grantId, key.expiresAt) = (application.id, application.expiresAt)
            try await keys.insert(key, secretHash: material.secretHash, on: db)
            (application.keyPrefix, application.updatedAt) = (material.prefix, now)
            try await applications.update(application, on: db)
            return IssuedAPIKey(key: key, secret: material.presented)
        }
    }

    /// An application the caller may see — its consumer's, or one on a dataset they stand over —
    /// with its dataset.
    func visible(_ id: String, to actor: Principal, locking: Bool = false, on db: any SQLDatabase) async throws
        -> (AccessApplication, Dataset)
    {
        guard let application = try await applications.find(id: id, locking: locking, on: db),
            let dataset = try await DatasetRepository().find(id: application.datasetId, on: db)
        else { throw DomainError.notFound("Access application \(id)") }
        guard actor.kind == .staff,
            Self.actor(actor, over: dataset).isConsumer(of: application)
                || !platform.dataCatalog.standing(of: actor, over: dataset).isEmpty
        else { throw DomainError.notFound("Access application \(id)") }
        return (application, dataset)
    }

    /// The caller as the application rules see them over `dataset`.
    static func actor(_ actor: Principal, over dataset: Dataset) -> AccessLifecycle.Actor {
        AccessLifecycle.Actor(
            id: actor.id, departmentId: actor.departmentId,
            standing: AccessLifecycle.deciderStanding(actor, over: dataset))
    }
}

/// An application as the consumer writes it.
public struct AccessApplicationInput: StrictInput {
    public var purpose: String
    public var fields: [String]
    public var days: Int
    public var system: String?
    public var ratePerMinute: Int?
    public var dailyQuota: Int?

    public enum Fields: String, CodingKey, CaseIterable {
        case purpose, fields, days, system, ratePerMinute, dailyQuota
    }

    public init(
        purpose: String, fields: [String], days: Int, system: String? = nil, ratePerMinute: Int? = nil,
        dailyQuota: Int? = nil
    ) {
        (self.purpose, self.fields, self.days, self.system) = (purpose, fields, days, system)
        (self.ratePerMinute, self.dailyQuota) = (ratePerMinute, dailyQuota)
    }

    var terms: AccessTerms {
        AccessTerms(
            purpose: purpose.trimmingCharacters(in: .whitespacesAndNewlines), fields: fields, days: days,
            ratePerMinute: ratePerMinute ?? 60, dailyQuota: dailyQuota ?? 10_000)
    }
}
