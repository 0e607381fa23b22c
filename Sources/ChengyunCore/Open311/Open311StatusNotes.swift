/// `status_notes` for the public: where the case stands in plain words (Chinese, with English
/// for the apps that speak it), and for a finished case the note its last step left — the reply
/// on closing, the reason for not filing.
public enum Open311StatusNotes {
    public static func text(for state: CaseState, note: String?) -> String {
        let label =
            switch state {
            case .reported: "已收到，待受理 (received)"
            case .verifying: "核实中 (being verified on site)"
            case .filing: "待立案 (awaiting filing)"
            case .dispatching: "待派遣 (awaiting dispatch)"
            case .handling: "处置中 (being handled)"
            case .suspended: "挂账，暂缓处置 (on hold)"
            case .checking: "处置完毕，核查中 (done, being checked)"
            case .closing: "核查通过，待结案 (checked, closing)"
            case .closed: "已结案 (closed)"
            case .rejected: "不予立案 (not accepted)"
            case .cancelled: "已作废 (cancelled)"
            case .merged: "重复上报 (duplicate)"
            }
        guard state.isTerminal, let note, !note.isEmpty else { return label }
        return label + ": " + note
    }

    public static func merged(into number: String) -> String {
        "与 \(number) 为同一问题，随该案办理 (merged into \(number))."
    }
}
