/// Where a case is in the GB/T 30428 loop (docs/domain.md §3).
public enum CaseState: String, Codable, CaseIterable, Sendable {
    case reported // 上报: waiting for an intake operator to accept it
    case verifying // 待核实: an inspector checks the report on site
    case filing // 待立案: the shift supervisor files, rejects, cancels or returns it
    case dispatching // 待派遣: the dispatcher sends it to the responsible department(s)
    case handling // 处置中: the department works on it
    case suspended // 挂账: handling paused with approval; the clock stops
    case checking // 待核查: an inspector checks the result on site
    case closing // 待结案: the shift supervisor closes it
    case closed // 已结案
    case rejected // 不予立案
    case cancelled // 作废
    case merged // 重复: merged into the open case it duplicates

    public var isTerminal: Bool { [.closed, .rejected, .cancelled, .merged].contains(self) }

    /// The terminal states' stored names, for `state NOT IN (…)` in queries.
    public static let terminalRawValues = allCases.filter(\.isTerminal).map(\.rawValue)

    /// Open cases are the ones on someone's queue and on a clock.
    public var isOpen: Bool { !isTerminal }

    /// The stage whose clock runs while the case is in this state.
    public var stage: CaseStage? {
        switch self {
        case .reported: .accept
        case .verifying: .verify
        case .filing: .file
        case .dispatching: .dispatch
        case .handling, .suspended: .handle
        case .checking: .check
        case .closing: .close
        case .closed, .rejected, .cancelled, .merged: nil
        }
    }
}

/// The stages that have time limits (docs/domain.md §5).
public enum CaseStage: String, Codable, CaseIterable, Sendable {
    case accept, verify, file, dispatch, handle, check, close
}

/// Where a report came from (统一受理).
public enum CaseSource: String, Codable, CaseIterable, Sendable {
    case inspector // 监督员上报: needs no verification
    case intake // 受理员录入 (walk-in, phone)
    case citizen // 公众上报 (app, portal, Open311)
    case hotline // 12345 热线
    case machine // IoT alarm or video-AI detection, through an API key

    /// The state a new report of this source starts in.
    public func initialState(autoAccept: Bool) -> CaseState {
        switch self {
        case .inspector: .filing
        case .intake: .verifying
        case .machine where autoAccept: .filing
        case .citizen, .hotline, .machine: .reported
        }
    }
}

/// 紧急程度.
public enum Urgency: String, Codable, CaseIterable, Sendable {
    case urgent, normal
}
