/// Every step of the case loop, with the role allowed to take it and the state it leads to.
/// The table here is the whole state machine; the store applies it and records the history.
public enum CaseAction: String, Codable, CaseIterable, Sendable {
    case accept // intake: reported → verifying
    case verify // inspector: verifying → filing (the result is recorded either way)
    case file // supervisor: filing → dispatching (立案)
    case reject // supervisor: filing → rejected (不予立案)
    case cancel // supervisor: any open state before handling ends → cancelled (作废)
    case returnToIntake // supervisor: filing → reported
    case dispatch // dispatcher: dispatching → handling
    case complete // handler: handling → checking, with evidence
    case requestExtension // handler: handling → handling (a pending request)
    case approveExtension // dispatcher: the limit grows
    case denyExtension // dispatcher
    case requestReturn // handler: "not ours"
    case approveReturn // dispatcher: handling → dispatching, to be sent elsewhere
    case denyReturn // dispatcher
    case requestSuspension // handler
    case approveSuspension // dispatcher: handling → suspended (the clock stops)
    case denySuspension // dispatcher
    case resume // dispatcher: suspended → handling
    case pass // inspector: checking → closing (核查通过)
    case fail // inspector: checking → handling (返工, rework)
    case close // supervisor: closing → closed (结案)
    case reopen // supervisor or intake: closed → dispatching (a citizen says it is not fixed)
    case merge // intake or system: an early report → merged into an open case
    case assign // intake: send a verification or check task to a named inspector (派遣核实/核查)

    /// Roles that may take the action (the system actor may take any).
    public var roles: Set<Role> {
        switch self {
        case .accept, .assign: [.intake]
        case .verify, .pass, .fail: [.inspector]
        case .file, .reject, .cancel, .returnToIntake, .close: [.supervisor]
        case .dispatch, .approveExtension, .denyExtension, .approveReturn, .denyReturn, .approveSuspension,
            .denySuspension, .resume:
            [.dispatcher]
        case .complete, .requestExtension, .requestReturn, .requestSuspension: [.handler]
        case .reopen: [.supervisor, .intake]
        case .merge: [.intake, .supervisor]
        }
    }

    /// The request an action opens or settles, if it is one of the handling side paths.
    public var request: CaseRequestKind? {
        switch self {
        case .requestExtension, .approveExtension, .denyExtension: .extension
        case .requestReturn, .approveReturn, .denyReturn: .return
        case .requestSuspension, .approveSuspension, .denySuspension: .suspension
        default: nil
        }
    }

    public var opensRequest: Bool { [.requestExtension, .requestReturn, .requestSuspension].contains(self) }
    public var settlesRequest: Bool { request != nil && !opensRequest }

    /// The state after taking this action in `state` with `pending` request open, or nil when
    /// the action is not allowed there.
    public func next(from state: CaseState, pending: CaseRequestKind?) -> CaseState? {
        if let request {
            guard state == .handling else { return nil }
            if opensRequest { return pending == nil ? .handling : nil }
            guard pending == request else { return nil }
            switch self {
            case .approveReturn: return .dispatching
            case .approveSuspension: return .suspended
            default: return .handling
            }
        }
        switch (self, state) {
        case (.accept, .reported): return .verifying
        case (.verify, .verifying): return .filing
        case (.file, .filing): return .dispatching
        case (.reject, .filing): return .rejected
        case (.returnToIntake, .filing): return .reported
        case (.cancel, .reported), (.cancel, .verifying), (.cancel, .filing), (.cancel, .dispatching),
            (.cancel, .handling), (.cancel, .suspended):
            return .cancelled
        case (.dispatch, .dispatching): return .handling
        case (.complete, .handling): return pending == nil ? .checking : nil
        case (.resume, .suspended): return .handling
        case (.pass, .checking): return .closing
        case (.fail, .checking): return .handling
        case (.close, .closing): return .closed
        case (.reopen, .closed): return .dispatching
        case (.merge, .reported), (.merge, .verifying), (.merge, .filing): return .merged
        case (.assign, .verifying): return .verifying
        case (.assign, .checking): return .checking
        default: return nil
        }
    }
}

/// The side-path requests a department may raise while handling.
public enum CaseRequestKind: String, Codable, CaseIterable, Sendable {
    case `extension`, `return`, suspension
}
