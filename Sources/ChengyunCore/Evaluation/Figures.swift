/// The counts behind one inspector's figures for a period.
public struct InspectorCounts: Codable, Equatable, Sendable {
    public var reported = 0
    /// Reports that were filed (an invalid or duplicate report is not).
    public var valid = 0
    /// Cases filed in the inspector's area…
    public var filedInArea = 0
    /// …of which no inspector reported (found by citizens, the hotline or machines): missed.
    public var missed = 0
    public var verifications = 0, verificationsOnTime = 0
    public var checks = 0, checksOnTime = 0
    public init() {}
}

public struct IntakeCounts: Codable, Equatable, Sendable {
    public var accepted = 0, acceptedOnTime = 0
    /// Check tasks sent to a named inspector (派遣核查), and those sent within the intake step's
    /// limit of the work being reported done. Checks no operator sent (any inspector of the
    /// street took them) are not counted.
    public var checkDispatches = 0, checkDispatchesOnTime = 0
    public init() {}
}

public struct SupervisorCounts: Codable, Equatable, Sendable {
    public var filings = 0, filingsOnTime = 0
    /// Cases this supervisor filed that were later cancelled.
    public var filedThenCancelled = 0
    public var closings = 0, closingsOnTime = 0
    public init() {}
}

public struct DispatcherCounts: Codable, Equatable, Sendable {
    public var dispatched = 0, dispatchedOnTime = 0
    /// Dispatches that came back because they went to the wrong department.
    public var returned = 0
    public init() {}
}

public struct DepartmentCounts: Codable, Equatable, Sendable {
    public var handled = 0, handledOnTime = 0
    /// Cases still not handled whose handling deadline passed in the period.
    public var overdueUnhandled = 0
    /// Checks failed for this department's work (返工).
    public var reworked = 0
    public var extensions = 0
    public init() {}
}

public struct AreaCounts: Codable, Equatable, Sendable {
    public var filed = 0
    public var filedFromInspectors = 0
    public var closed = 0, closedOnTime = 0
    public init() {}
}

/// One evaluated unit: its figures (rates in percent), combined score and grade.
public struct EvaluationRow: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var figures: [String: Double?]
    public var score: Double?
    public var grade: Grade?

    public init(id: String, name: String, figures: [String: Double?], score: Double?) {
        self.id = id
        self.name = name
        self.figures = figures
        self.score = score
        self.grade = score.map(Grade.init(score:))
    }
}

/// The docs/domain.md §6 formulas. Pure: the store supplies the counts.
public enum EvaluationFormulas {
    public static func inspector(_ c: InspectorCounts, weights: EvaluationWeights) -> (
        figures: [String: Double?], score: Double?
    ) {
        let valid = percent(c.valid, of: c.reported)
        let missed = percent(c.missed, of: c.filedInArea)
        let verify = percent(c.verificationsOnTime, of: c.verifications)
        let check = percent(c.checksOnTime, of: c.checks)
        let w = weights.inspector
        return (
            [
                "validReportRate": valid, "missedReportRate": missed, "onTimeVerifyRate": verify,
                "onTimeCheckRate": check,
            ],
            weightedScore([(valid, w[0]), (missed.map { 100 - $0 }, w[1]), (verify, w[2]), (check, w[3])])
        )
    }

    public static func intake(_ c: IntakeCounts, countScore: Double, weights: EvaluationWeights) -> (
        figures: [String: Double?], score: Double?
    ) {
        let verify = percent(c.acceptedOnTime, of: c.accepted)
        let check = percent(c.checkDispatchesOnTime, of: c.checkDispatches)
        let w = weights.intake
        return (
            [
                "accepted": Double(c.accepted), "countScore": countScore, "onTimeVerifyDispatchRate": verify,
                "onTimeCheckDispatchRate": check,
            ],
            weightedScore([(countScore, w[0]), (verify, w[1]), (check, w[2])])
        )
    }

    public static func supervisor(_ c: SupervisorCounts, weights: EvaluationWeights) -> (
        figures: [String: Double?], score: Double?
    ) {
        let onTimeFiling = percent(c.filingsOnTime, of: c.filings)
        let accurate = percent(c.filings - c.filedThenCancelled, of: c.filings)
        let onTimeClosing = percent(c.closingsOnTime, of: c.closings)
        let w = weights.supervisor
        return (
            ["onTimeFilingRate": onTimeFiling, "accurateFilingRate": accurate, "onTimeClosingRate": onTimeClosing],
            weightedScore([(onTimeFiling, w[0]), (accurate, w[1]), (onTimeClosing, w[2])])
        )
    }

    public static func dispatcher(_ c: DispatcherCounts, countScore: Double, weights: EvaluationWeights)
        -> (figures: [String: Double?], score: Double?)
    {
        let onTime = percent(c.dispatchedOnTime, of: c.dispatched)
        // accurate dispatch = (dispatched − reworked) / should-dispatch; every dispatch was due.
        let accurate = percent(c.dispatched - c.returned, of: c.dispatched)
        let w = weights.dispatcher
        return (
            [
                "dispatched": Double(c.dispatched), "countScore": countScore, "onTimeDispatchRate": onTime,
                "accurateDispatchRate": accurate,
            ],
            weightedScore([(countScore, w[0]), (onTime, w[1]), (accurate, w[2])])
        )
    }

    public static func department(_ c: DepartmentCounts, volumeScore: Double, weights: EvaluationWeights)
        -> (figures: [String: Double?], score: Double?)
    {
        let shouldClose = c.handled + c.overdueUnhandled
        let closing = percent(c.handled, of: shouldClose)
        let onTime = percent(c.handledOnTime, of: c.handled)
        let rework = percent(c.reworked, of: c.handled)
        let extensionRate = percent(c.extensions, of: c.handled)
        let w = weights.department
        return (
            [
                "handled": Double(c.handled), "shouldClose": Double(shouldClose), "closingRate": closing,
                "onTimeHandlingRate": onTime, "reworkRate": rework, "extensionRate": extensionRate,
                "volumeScore": volumeScore,
            ],
            weightedScore([(volumeScore, w[0]), (closing, w[1]), (onTime, w[2]), (rework.map { 100 - $0 }, w[3])])
        )
    }

    public static func area(_ c: AreaCounts, filedScore: Double, weights: EvaluationWeights) -> (
        figures: [String: Double?], score: Double?
    ) {
        let supervision = percent(c.filedFromInspectors, of: c.filed)
        let closing = percent(c.closed, of: c.filed)
        let onTimeClosing = percent(c.closedOnTime, of: c.closed)
        let w = weights.area
        return (
            [
                "filed": Double(c.filed), "supervisionReportRate": supervision, "closingRate": closing,
                "onTimeClosingRate": onTimeClosing, "filedScore": filedScore,
            ],
            weightedScore([(supervision, w[0]), (closing, w[1]), (onTimeClosing, w[2]), (filedScore, w[3])])
        )
    }
}
