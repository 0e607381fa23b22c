import Foundation

/// One step of the case loop, decided without a database: who may take it, whether the state
/// allows it, what it needs, and what it changes — the case, its stage clocks, the history line,
/// the stage it finished and, for a merge, the open case that absorbs it. The service loads the
/// facts (`CaseStep.Facts`), calls `apply`, and saves the outcome.
public enum CaseStep {
    /// What a step reads besides the case itself; the service loads what the action names.
    public struct Facts: Sendable {
        public var calendar: WorkCalendar
        /// The matter version the case runs under.
        public var matter: Matter?
        /// file: the matter the case is filed under — the one named when it is reclassified (nil
        /// when no matter has that id), else the newest version of its own.
        public var filedMatter: Matter?
        /// dispatch: which of the named departments exist and are active.
        public var activeDepartmentIds: Set<String>
        /// assign or accept: the inspector named, if one has that id.
        public var inspector: User?
        /// merge: the case named as the original, if one has that id.
        public var mergeTarget: Case?

        public init(
            calendar: WorkCalendar, matter: Matter?, filedMatter: Matter? = nil,
            activeDepartmentIds: Set<String> = [], inspector: User? = nil, mergeTarget: Case? = nil
        ) {
            self.calendar = calendar
            self.matter = matter
            self.filedMatter = filedMatter
            self.activeDepartmentIds = activeDepartmentIds
            self.inspector = inspector
            self.mergeTarget = mergeTarget
        }
    }

    /// What a step changes.
    public struct Outcome: Sendable {
        /// The case after the step (revision and time moved on).
        public var record: Case
        /// Its history line; its number is the new revision.
        public var event: CaseEvent
        /// The stage the step finished, numbered (`seq`) when it is saved.
        public var finishedStage: CaseStageRecord?
        /// merge: the original after counting the duplicate, with its own history line.
        public var absorbed: Absorption?
    }

    /// A duplicate counted on the open case it repeats.
    public struct Absorption: Sendable {
        public var original: Case
        public var event: CaseEvent
        /// The duplicate's reporter, filed under the original so they hear of its outcome.
        public var reporter: CaseReporter
    }

    /// Decides one step. Throws the refusal a caller sees: out of scope, not allowed, the wrong
    /// state, or each missing or wrong input.
    public static func apply(
        _ input: CaseActionInput, to original: Case, facts: Facts, by actor: Principal, at now: Int64
    ) throws -> Outcome {
        var record = original
        try actor.requireScope(record.areaPath)
        let action = input.action
        try authorize(action, on: record, by: actor)
        guard let next = action.next(from: record.state, pending: record.pendingRequest) else {
            let pending = record.pendingRequest.map { " with a pending \($0.rawValue) request" } ?? ""
            throw DomainError(
                .conflict, code: "invalid_transition",
                "A case that is \(record.state.rawValue)\(pending) cannot be \(action.rawValue)ed.")
        }
        let calendar = facts.calendar
        let from = record.state
        var detail: [String: String] = [:]
        var matter = facts.matter
        var validator = Validator()
        switch action {
        case .file:
            if let matterId = input.matterId, matterId != record.matterId {
                matter = try reclassify(&record, to: facts.filedMatter, detail: &detail)
            } else {
                matter = facts.filedMatter
            }
            // The case keeps the rules of the version it is filed under.
            record.matterVersion = matter?.version ?? record.matterVersion
            record.urgency = input.urgency ?? record.urgency
            record.filedAt = now
        case .dispatch:
            let ids = input.departmentIds ?? []
            validator.check(!ids.isEmpty, "departmentIds", "required", "Dispatch to at least one department.")
            for (index, id) in ids.enumerated() {
                validator.check(
                    facts.activeDepartmentIds.contains(id), "departmentIds[\(index)]", "unknown_department",
                    "No active department has this id.")
            }
            record.departmentIds = ids
            detail["departments"] = ids.joined(separator: ",")
        case .accept:
            // The intake operator confirms or corrects the matter a citizen's words were given.
            if let matterId = input.matterId, matterId != record.matterId {
                let changed = try reclassify(&record, to: facts.filedMatter, detail: &detail)
                changed.requiredFieldIssues(record.customFields).forEach { validator.add($0) }
                record.matterVersion = changed.version
                record.caseDeadline = changed.limits(for: record.urgency).flatMap {
                    calendar.add(record.reportedAt, workingMinutes: $0.total.workingMinutes(on: calendar))
                }
                matter = changed
            }
        default:
            takeInputs(input, into: &record, detail: &detail, validator: &validator, at: now, on: calendar)
        }
        // 派遣核实/核查: the verification (with the accept, or later) or the check goes to one inspector.
        if let inspectorId = input.inspectorId, action == .assign || action == .accept {
            validator.check(
                facts.inspector.map {
                    $0.id == inspectorId && $0.active && $0.roles.contains(.inspector)
                        && record.areaPath.hasPrefix($0.areaPath)
                } == true,
                "inspectorId", "unknown_inspector", "No active inspector whose area holds this case has this id.")
            record.assigneeId = inspectorId
            detail["inspectorId"] = inspectorId
            // A check task is sent on time within the intake step's own limit, counted from the
            // moment the department reported the work done (the check stage's start).
            if action == .assign, from == .checking, let clock = record.stageClock {
                let limit = matter?.limits(for: record.urgency)?.limit(for: .accept).map {
                    Int64($0.workingMinutes(on: calendar)) * 60_000
                }
                detail["onTime"] = String(
                    limit.map { calendar.workingMillis(from: clock.startedAt, to: now) <= $0 } ?? true)
            }
        }
        try validator.finish()
        if action == .fail { record.reworkCount += 1 }
        if action.opensRequest { record.pendingRequest = action.request }
        if action.settlesRequest {
            record.pendingRequest = nil
            if action.request == .extension { record.requestedMinutes = nil }
        }
        let finished = moveClocks(
            &record, from: from, to: next, action: action, matter: matter, by: actor, at: now, on: calendar)
        if next != .handling && next != .suspended { record.pendingRequest = nil }
        if next != from && (from == .verifying || from == .checking) { record.assigneeId = nil }
        record.state = next
        if next == .closed { record.closedAt = now }
        var absorbed: Absorption?
        if action == .merge, input.duplicateOf != nil {
            guard let target = facts.mergeTarget, target.id == input.duplicateOf, target.state.isOpen,
                target.state != .merged
            else {
                throw DomainError.validation([
                    FieldIssue(field: "duplicateOf", code: "unknown_case", message: "No open case has this id.")
                ])
            }
            try actor.requireScope(target.areaPath)
            record.duplicateOf = target.id
            absorbed = absorb(record, into: target, by: actor, at: now)
        }
        record.updatedAt = now
        record.revision += 1
        // Every change adds one history line and one revision, so the line's number is the revision.
        let event = CaseEvent(
            caseId: record.id, seq: record.revision, at: now, actor: actor, action: action.rawValue, fromState: from,
            toState: next, note: input.note, attachments: input.attachments ?? [],
            detail: detail.isEmpty ? nil : String(decoding: try JSONEncoder().encode(detail), as: UTF8.self))
        return Outcome(record: record, event: event, finishedStage: finished, absorbed: absorbed)
    }

    /// The case moved to another matter (filed or accepted under it), the old code kept in the
    /// step's detail; `changed` must be an active matter.
    private static func reclassify(_ record: inout Case, to changed: Matter?, detail: inout [String: String]) throws
        -> Matter
    {
        guard let changed, changed.active else {
            throw DomainError.validation([
                FieldIssue(
                    field: "matterId", code: "unknown_matter",
                    message: "Name an active matter by matterId or matterCode (e.g. E0102).")
            ])
        }
        detail["reclassifiedFrom"] = record.matterCode
        record.matterId = changed.id
        record.kind = changed.kind
        record.majorCode = changed.majorCode
        record.minorCode = changed.minorCode
        return changed
    }

    /// The inputs of the steps that need no other record: a verification's finding, a reason, an
    /// extension's minutes, the clock's pauses, an inspector to send.
    private static func takeInputs(
        _ input: CaseActionInput, into record: inout Case, detail: inout [String: String],
        validator: inout Validator, at now: Int64, on calendar: WorkCalendar
    ) {
        switch input.action {
        case .verify:
            validator.check(
                input.verified != nil, "verified", "required", "Say whether the problem was found as reported.")
            detail["verified"] = input.verified.map(String.init)
        case .complete, .reject, .cancel, .fail, .requestReturn, .requestSuspension, .returnToIntake:
            validator.check(
                !(input.note ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "note", "required",
                "Say why (or, for a completed case, what was done).")
        case .requestExtension:
            validator.check((input.minutes ?? 0) > 0, "minutes", "required", "Ask for a number of working minutes.")
            record.requestedMinutes = input.minutes
            detail["minutes"] = input.minutes.map(String.init)
        case .approveExtension:
            record.stageClock?.extend(byMinutes: record.requestedMinutes ?? 0)
            record.extensionCount += 1
            detail["minutes"] = record.requestedMinutes.map(String.init)
        case .approveReturn:
            record.departmentIds = []
        case .approveSuspension:
            record.stageClock?.suspend(at: now, on: calendar)
        case .resume:
            record.stageClock?.resume(at: now)
        case .reopen:
            record.reopenCount += 1
            record.closedAt = nil
        case .merge:
            validator.check(
                input.duplicateOf != nil && input.duplicateOf != record.id, "duplicateOf", "required",
                "Name the open case this one duplicates.")
        case .assign:
            validator.check(
                input.inspectorId != nil, "inspectorId", "required", "Name the inspector to send the task to.")
        default:
            break
        }
    }

    /// Stage clocks: a new stage (or rework, reopening, a return) finishes the running one —
    /// returned as the stage record — and starts its own clock; otherwise the deadline follows
    /// the clock (an extension or a pause moves it).
    static func moveClocks(
        _ record: inout Case, from: CaseState, to next: CaseState, action: CaseAction, matter: Matter?,
        by actor: Principal, at now: Int64, on calendar: WorkCalendar
    ) -> CaseStageRecord? {
        guard from.stage != next.stage || action == .fail || action == .reopen || action == .approveReturn else {
            record.stageDeadline = record.stageClock?.deadline(on: calendar)
            return nil
        }
        var finished: CaseStageRecord?
        if var clock = record.stageClock, let stage = from.stage {
            let onTime = clock.finish(at: now, on: calendar)
            let department: String? =
                switch stage {
                case .handle: actor.departmentId ?? record.departmentIds.first
                case .check: record.departmentIds.first
                default: nil
                }
            finished = CaseStageRecord(
                caseId: record.id, seq: 0, stage: stage, startedAt: clock.startedAt, deadline: record.stageDeadline,
                limitMillis: clock.limitMillis, usedMillis: clock.usedMillis, finishedAt: now, onTime: onTime,
                endedBy: action.rawValue, actorId: actor.id, departmentId: department)
        }
        record.stageClock = nil
        record.stageDeadline = nil
        if let stage = next.stage, let matter {
            startClock(&record, stage: stage, matter: matter, at: now, on: calendar)
        }
        return finished
    }

    /// Starts a stage's clock at its limit under the case's matter and urgency (none without a limit).
    public static func startClock(
        _ record: inout Case, stage: CaseStage, matter: Matter, at now: Int64, on calendar: WorkCalendar
    ) {
        guard let limit = matter.limits(for: record.urgency)?.limit(for: stage) else {
            record.stageClock = nil
            record.stageDeadline = nil
            return
        }
        let clock = StageClock(startedAt: now, limitMinutes: limit.workingMinutes(on: calendar))
        record.stageClock = clock
        record.stageDeadline = clock.deadline(on: calendar)
    }

    /// Counts a duplicate on the open case and notes it in that case's history.
    public static func absorb(_ duplicate: Case, into original: Case, by actor: Principal, at now: Int64)
        -> Absorption
    {
        var target = original
        target.duplicateCount += 1
        target.updatedAt = now
        target.revision += 1
        let event = CaseEvent(
            caseId: target.id, seq: target.revision, at: now, actor: actor, action: "duplicate_merged",
            fromState: target.state, toState: target.state, note: "report \(duplicate.number) merged as a duplicate")
        return Absorption(original: target, event: event, reporter: CaseReporter(of: duplicate))
    }
}
