import Foundation

/// Registration and publication of a dataset (目录注册 → 审核 → 目录发布 → 撤销):
/// draft → under review → published → withdrawn, and back to a new draft version.
public enum DatasetState: String, Codable, CaseIterable, Sendable {
    case draft
    case underReview = "under_review"
    case published, withdrawn
}

public enum DatasetAction: String, Codable, CaseIterable, Sendable {
    /// The owner sends the draft for review.
    case submit
    /// The operation centre publishes it.
    case approve
    /// The operation centre sends it back to the owner, saying why.
    case reject
    /// Taken out of the catalog, saying why (the owner or the centre).
    case withdraw
    /// A withdrawn dataset becomes a draft of its next version.
    case revise
}

/// Who is acting on a dataset, as far as its lifecycle cares.
public struct DatasetStanding: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// Staff of the owning department, or an administrator over its area.
    public static let owner = DatasetStanding(rawValue: 1)
    /// The operation centre: an administrator of the whole platform.
    public static let centre = DatasetStanding(rawValue: 2)

    /// Whether a read of the records without a grant goes into the dataset's access log
    /// (unmetered): everyone's but the owner's own (its department, an administrator over its
    /// area, the centre) — other departments' staff and keys reading by its sharing are the
    /// consumers the owner is to see. Anonymous reads of open data are not logged (nobody to
    /// name, and a write per public request).
    public static func logsReadsWithoutGrant(_ standing: DatasetStanding, signedIn: Bool) -> Bool {
        signedIn && standing.isEmpty
    }
}

public enum DatasetLifecycle {
    /// The state `action` leads to from `state`, nil when it does not apply there.
    public static func next(_ state: DatasetState, _ action: DatasetAction) -> DatasetState? {
        switch (state, action) {
        case (.draft, .submit): .underReview
        case (.underReview, .approve): .published
        case (.underReview, .reject): .draft
        case (.published, .withdraw): .withdrawn
        case (.withdrawn, .revise): .draft
        default: nil
        }
    }

    /// Whose the action is. Review is the centre's; the rest the owner's, and withdrawal either's.
    public static func allowed(_ action: DatasetAction, origin: DatasetOrigin) -> DatasetStanding {
        if origin == .platform { return .centre }
        switch action {
        case .submit, .revise: return .owner
        case .approve, .reject: return .centre
        case .withdraw: return [.owner, .centre]
        }
    }

    /// Whether a note is required: a rejection or withdrawal says why.
    public static func needsNote(_ action: DatasetAction) -> Bool { action == .reject || action == .withdraw }

    /// Only a draft's metadata may be edited.
    public static func isEditable(_ state: DatasetState) -> Bool { state == .draft }

    /// Applies an action, or says why it cannot be applied. `actorId` is who acts; a submission
    /// is approved by someone other than its submitter (four eyes).
    public static func apply(
        _ action: DatasetAction, to dataset: Dataset, standing: DatasetStanding, actorId: String, note: String?,
        at now: Int64
    ) -> Result<Dataset, DatasetRefusal> {
        guard let state = next(dataset.state, action) else { return .failure(.notInState(dataset.state, action)) }
        guard !allowed(action, origin: dataset.origin).isDisjoint(with: standing) else {
            return .failure(.notYours(action))
        }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if needsNote(action), (note ?? "").isEmpty { return .failure(.noteRequired(action)) }
        if action == .approve, dataset.origin == .registered,
            dataset.submittedBy == actorId || (dataset.editors ?? []).contains(actorId)
        {
            return .failure(.ownSubmission)
        }
        var changed = dataset
        changed.state = state
        changed.updatedAt = now
        switch action {
        case .submit: changed.submittedBy = actorId
        case .approve:
            changed.publishedAt = now
            changed.editors = nil
        case .reject: changed.editors = nil
        case .revise: changed.version += 1
        case .withdraw: break
        }
        if action != .submit, action != .revise { changed.reviewNote = note }
        return .success(changed)
    }
}

/// Why a lifecycle action was refused.
public enum DatasetRefusal: RuleRefusal, Equatable, Sendable {
    case notInState(DatasetState, DatasetAction)
    case notYours(DatasetAction)
    case noteRequired(DatasetAction)
    case ownSubmission

    public var kind: DomainError.Kind {
        switch self {
        case .notYours: .forbidden
        case .noteRequired: .invalid
        case .notInState, .ownSubmission: .conflict
        }
    }

    public var code: ErrorCode {
        switch self {
        case .notInState: "invalid_transition"
        case .notYours: "not_dataset_reviewer"
        case .noteRequired: "note_required"
        case .ownSubmission: "own_submission"
        }
    }

    public var message: String {
        switch self {
        case .notInState(let state, let action):
            "\(action.rawValue) does not apply to a dataset in state \(state.rawValue)."
        case .notYours(.approve), .notYours(.reject):
            "The operation centre reviews the catalog: an administrator of the whole platform."
        case .notYours: "Only the owning department or an administrator over its area may do this."
        case .noteRequired(let action): "Say why when you \(action.rawValue)."
        case .ownSubmission: "Someone other than its submitter and its editors approves a dataset."
        }
    }
}

extension DatasetStanding {
    /// A principal's standing over a dataset owned by `department` within `areaPath`: staff of
    /// that department and administrators over the area are its owner; an administrator of the
    /// whole platform is the centre. Machine keys and citizens have none.
    public static func of(_ actor: Principal, ownerDepartmentId department: String?, areaPath: String)
        -> DatasetStanding
    {
        guard actor.kind == .staff else { return [] }
        var standing: DatasetStanding = []
        let isAdmin = actor.roles.contains(.admin)
        if isAdmin, actor.hasPlatformScope { standing.insert(.centre) }
        if department != nil,
            (isAdmin && actor.scope?.contains(path: areaPath) == true)
                || (actor.departmentId != nil && actor.departmentId == department)
        {
            standing.insert(.owner)
        }
        return standing
    }
}

extension DatasetStanding {
    /// Whether a caller may read a dataset's records. Unpublished: its owner and the centre.
    /// Published: unconditional sharing, any member of staff (and the public when it is open);
    /// conditional or none, its owner and the centre (access applications come to widen it).
    public static func mayReadRecords(of dataset: Dataset, standing: DatasetStanding, isStaff: Bool) -> Bool {
        if !standing.isEmpty { return true }
        guard dataset.state == .published else { return false }
        switch dataset.sharingType {
        case .unconditional: return isStaff || dataset.openType == .open
        case .conditional, .none: return false
        }
    }
}
