/// Who may take which step on which case: the action's roles, a handler's own department's cases,
/// an inspector's own tasks (the system may take any step).
extension CaseStep {
    /// Role, and for department handlers, that the case is their department's.
    public static func authorize(_ action: CaseAction, on record: Case, by actor: Principal) throws {
        if actor.id == Principal.system.id { return }
        guard actor.kind == .staff, actor.has(anyOf: action.roles) else {
            throw DomainError(
                .forbidden, code: "action_not_allowed",
                "\(action.rawValue) is for: \(action.roles.map(\.rawValue).sorted().joined(separator: ", ")).")
        }
        if action.roles == [.handler], !(actor.departmentId.map(record.departmentIds.contains) ?? false) {
            throw DomainError(.forbidden, code: "not_your_case", "This case is not dispatched to your department.")
        }
        if action.roles == [.inspector], let assignee = record.assigneeId, assignee != actor.id {
            throw DomainError(.forbidden, code: "assigned_elsewhere", "This task was sent to another inspector.")
        }
    }

    /// The actions `actor` may take on the case now.
    public static func allowedActions(_ record: Case, by actor: Principal) -> [CaseAction] {
        guard actor.canSee(path: record.areaPath) else { return [] }
        return CaseAction.allCases.filter { action in
            action.next(from: record.state, pending: record.pendingRequest) != nil
                && (try? authorize(action, on: record, by: actor)) != nil
        }
    }
}

extension Case {
    /// Staff see cases in their scope; citizens and keys see only the cases they reported (any
    /// other is not found, not forbidden, so its existence is not given away).
    public func requireVisible(to actor: Principal) throws {
        switch actor.kind {
        case .staff: try actor.requireScope(areaPath)
        case .citizen, .key:
            guard reporterId == actor.id else { throw DomainError.notFound("Case") }
        }
    }
}
