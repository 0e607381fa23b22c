import Foundation

/// The rules of access applications: who may apply, who decides in which order, and what each
/// decision does. Pure: the service loads the application and the caller's standing, asks, saves.
public enum AccessLifecycle {
    static let dayMillis: Int64 = 86_400_000

    /// Who approves access to `dataset`, in turn, for a consumer department (nil: the centre's own
    /// system): its owner department, then the centre when sharing is conditional — except that
    /// the centre does not approve its own application, so the owner alone decides on it. The
    /// platform's own datasets are the centre's alone.
    public static func stages(for dataset: Dataset, consumerDepartmentId: String?) -> [AccessStage] {
        if dataset.ownerDepartmentId == nil { return [.centre] }
        return dataset.sharingType == .conditional && consumerDepartmentId != nil ? [.owner, .centre] : [.owner]
    }

    /// Who decides at each stage, over `dataset`: the owner stage is the owner department's
    /// handlers and administrators, or an administrator over its area below the whole platform
    /// (the centre does not stand in for a department); the centre stage is a platform-wide
    /// administrator.
    public static func deciderStanding(_ actor: Principal, over dataset: Dataset) -> DatasetStanding {
        guard actor.kind == .staff, actor.has(anyOf: [.handler, .admin]) else { return [] }
        var standing: DatasetStanding = []
        let isAdmin = actor.roles.contains(.admin)
        if isAdmin, actor.hasPlatformScope { standing.insert(.centre) }
        if let owner = dataset.ownerDepartmentId,
            actor.departmentId == owner
                || (isAdmin && !actor.hasPlatformScope && actor.scope?.contains(path: dataset.areaPath) == true)
        {
            standing.insert(.owner)
        }
        return standing
    }

    /// Why a consumer (a department, or the centre's system when nil) may not apply for access to
    /// `dataset`, nil when it may. Only registered datasets, published and shared on some terms,
    /// are applied for; the owner department reads its own already.
    public static func refusalToApply(_ dataset: Dataset, consumerDepartmentId: String?) -> AccessRefusal? {
        guard dataset.origin == .registered else { return .platformDataset }
        guard dataset.state == .published else { return .notPublished }
        guard dataset.sharingType != .none else { return .notShared }
        guard consumerDepartmentId == nil || consumerDepartmentId != dataset.ownerDepartmentId else {
            return .ownDataset
        }
        return nil
    }

    /// The decider's side of an application, as far as its rules care.
    public struct Actor: Sendable {
        public var id: String
        public var departmentId: String?
        /// Over the dataset: its owner, the centre, or both.
        public var standing: DatasetStanding

        public init(id: String, departmentId: String?, standing: DatasetStanding) {
            (self.id, self.departmentId, self.standing) = (id, departmentId, standing)
        }

        /// The applicant, or staff of the consuming department.
        public func isConsumer(of application: AccessApplication) -> Bool {
            id == application.applicantId || (departmentId != nil && departmentId == application.departmentId)
        }
    }

    /// The application after `action` by `actor` at `now`, or why not.
    public static func apply(
        _ action: AccessAction, to application: AccessApplication, by actor: Actor, note: String?, at now: Int64
    ) -> Result<AccessApplication, AccessRefusal> {
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        var next = application
        switch action {
        case .approve, .reject:
            guard let stage = application.awaiting else { return .failure(.invalidTransition(action)) }
            guard actor.standing.contains(stage == .owner ? .owner : .centre) else {
                return .failure(.notTheStage(stage))
            }
            // Four eyes: a consumer never decides on its own application, nor one person twice.
            guard !actor.isConsumer(of: application), actor.id != application.applicantId,
                !application.decisions.contains(where: { $0.by == actor.id })
            else { return .failure(.ownApplication) }
            if action == .reject, note?.isEmpty ?? true { return .failure(.noteRequired(action)) }
            next.decisions.append(AccessDecision(stage: stage, action: action, by: actor.id, at: now, note: note))
            if action == .reject {
                (next.state, next.closingNote) = (.rejected, note)
            } else if next.awaiting == nil {
                (next.state, next.approvedAt) = (.approved, now)
                next.expiresAt = now + Int64(application.days) * dayMillis
            }
        case .withdraw:
            guard application.state == .pending else { return .failure(.invalidTransition(action)) }
            guard actor.isConsumer(of: application) else { return .failure(.notYours) }
            next.decisions.append(AccessDecision(stage: nil, action: action, by: actor.id, at: now, note: note))
            next.state = .withdrawn
        case .revoke:
            guard application.state == .approved else { return .failure(.invalidTransition(action)) }
            let consumer = actor.isConsumer(of: application)
            guard consumer || !actor.standing.isEmpty else { return .failure(.notYours) }
            if !consumer, note?.isEmpty ?? true { return .failure(.noteRequired(action)) }
            next.decisions.append(AccessDecision(stage: nil, action: action, by: actor.id, at: now, note: note))
            (next.state, next.closingNote) = (.revoked, note)
        }
        next.updatedAt = now
        return .success(next)
    }
}

/// Why an application or a decision on one is refused; `code` is the API's.
public enum AccessRefusal: RuleRefusal, Equatable, Sendable {
    case platformDataset, notPublished, notShared, ownDataset, notYours, ownApplication
    case notTheStage(AccessStage)
    case invalidTransition(AccessAction)
    case noteRequired(AccessAction)

    public var kind: DomainError.Kind {
        switch self {
        case .notYours, .notTheStage, .ownApplication: .forbidden
        case .noteRequired: .invalid
        case .platformDataset, .notPublished, .notShared, .ownDataset, .invalidTransition: .conflict
        }
    }

    public var code: ErrorCode {
        switch self {
        case .platformDataset: "platform_dataset"
        case .notPublished: "not_published"
        case .notShared: "not_shared"
        case .ownDataset: "own_dataset"
        case .notYours: "not_your_application"
        case .ownApplication: "own_application"
        case .notTheStage: "not_the_approver"
        case .invalidTransition: "invalid_transition"
        case .noteRequired: "note_required"
        }
    }

    public var message: String {
        switch self {
        case .platformDataset:
            "The platform's own data is read through its own API (cases, devices, alarms …), with a machine key."
        case .notPublished: "Access is applied for once a dataset is published."
        case .notShared: "This dataset is not shared (不予共享), on the basis its owner states."
        case .ownDataset: "Your department owns this dataset and reads it already."
        case .notYours: "Only the consumer, the dataset's owner or the operation centre does this."
        case .ownApplication:
            "Someone other than the consumer, and other than whoever decided before, decides on an application."
        case .notTheStage(let stage):
            stage == .owner
                ? "The application waits for the dataset's owner department."
                : "The application waits for the operation centre."
        case .invalidTransition(let action): "The application's state does not allow \(action.rawValue) now."
        case .noteRequired(let action): "Say why when you \(action.rawValue)."
        }
    }
}
