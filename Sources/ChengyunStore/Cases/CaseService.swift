import ChengyunCore
import Foundation
import SQLKit

/// The case loop (docs/domain.md §3): intake from every channel, every step and side path, each checked
/// against role, scope and state and recorded in the history in the same transaction as the
/// state change.
public struct CaseService: Sendable {
    let platform: Platform
    let cases = CaseRepository()
    let matters = MatterRepository()

    // MARK: Intake

    public func report(_ input: NewReport, by actor: Principal) async throws -> ReportOutcome {
        try await platform.write(
            actor, "case.report", target: "case",
            summary: { ($0.case.id, "\($0.case.number) \($0.case.matterCode) via \($0.case.source.rawValue)") }
        ) { db in
            try await report(input, by: actor, on: db)
        }
    }

    func report(_ input: NewReport, by actor: Principal, on db: any SQLDatabase) async throws -> ReportOutcome {
        let now = platform.now()
        let matter = try await resolveMatter(id: input.matterId, code: input.matterCode, on: db)
        let point = GeoPoint(lon: input.lon, lat: input.lat)
        var validator = Validator()
        validator.checkName(input.description, field: "description", max: 2000)
        validator.check(point.isValid, "lon", "invalid_position", "Longitude -180…180 and latitude -90…90.")
        for field in matter.customFields where field.required {
            validator.check(
                !(input.customFields?[field.key] ?? "").isEmpty, "customFields.\(field.key)", "required",
                "\(field.label) is required for \(matter.name).")
        }
        for (key, value) in input.customFields ?? [:] {
            guard let field = matter.customFields.first(where: { $0.key == key }) else {
                validator.add(
                    FieldIssue(
                        field: "customFields.\(key)", code: "unknown_field",
                        message: "\(matter.name) has no field \(key)."))
                continue
            }
            if field.datatype == .singleValueList {
                validator.check(
                    field.values.contains { $0.key == value }, "customFields.\(key)", "invalid_value",
                    "Choose one of: \(field.values.map(\.key).joined(separator: ", ")).")
            }
            if field.datatype == .number {
                validator.check(Double(value) != nil, "customFields.\(key)", "invalid_value", "A number.")
            }
            if field.datatype == .multiValueList {
                let chosen = value.split(separator: ",").map(String.init)
                validator.check(
                    !chosen.isEmpty && chosen.allSatisfy { key in field.values.contains { $0.key == key } },
                    "customFields.\(key)", "invalid_value",
                    "Choose from: \(field.values.map(\.key).joined(separator: ", ")), separated by commas.")
            }
            if field.datatype == .datetime {
                validator.check(
                    Instant.parse(value) != nil, "customFields.\(key)", "invalid_value",
                    "A date and time in ISO 8601 with its time zone.")
            }
        }
        let source = try source(of: input, by: actor)
        if source == .citizen {
            // The public reports what the catalogue offers it; how urgent a case is, the centre decides.
            validator.check(
                matter.isPublic && matter.active,
                input.matterCode != nil && input.matterId == nil ? "matterCode" : "matterId",
                "not_public", "The public reports the catalogue's public matters (GET /api/v1/public/matters).")
            validator.check(
                input.urgency == nil, "urgency", "not_allowed",
                "Urgency is set by the operation centre, not by the reporter.")
        }
        if source == .citizen && actor.id == Principal.anonymousCitizen.id {
            validator.check(
                !(input.reporterContact ?? "").isEmpty, "reporterContact", "required",
                "Anonymous reports leave a contact so the reporter can be told the outcome.")
        }
        try validator.finish()
        guard let cell = try await GridCellRepository().locate(point, on: db) else {
            throw DomainError.validation([
                FieldIssue(
                    field: "lon", code: "outside_grid",
                    message: "No grid cell of the city holds this position.")
            ])
        }
        if actor.kind != .citizen { try actor.requireScope(cell.areaPath) }

        let calendar = try await CalendarRepository().current(on: db)
        let urgency = input.urgency ?? .normal
        let limits = matter.limits(for: urgency)
        let state = source.initialState(autoAccept: matter.autoAccept && source == .machine)
        let date = LocalDate(dayNumber: calendar.localDayNumber(now))
        let prefix = platform.settings.caseNumbers.format(
            kind: matter.kind, major: matter.majorCode, minor: matter.minorCode,
            date: date, sequence: 0)
        let number = platform.settings.caseNumbers.format(
            kind: matter.kind, major: matter.majorCode, minor: matter.minorCode,
            date: date, sequence: try await cases.nextSequence(prefix: prefix, on: db))
        var record = Case(
            id: Identifier.make(at: now), number: number, kind: matter.kind, matterId: matter.id,
            matterVersion: matter.version,
            majorCode: matter.majorCode, minorCode: matter.minorCode, urgency: urgency, state: state, source: source,
            description: input.description, address: input.address, lon: point.lon, lat: point.lat, gridCellId: cell.id,
            areaId: cell.areaId, areaPath: cell.areaPath, reporterKind: actor.kind.rawValue,
            reporterId: actor.id == Principal.anonymousCitizen.id ? nil : actor.id,
            reporterName: input.reporterName ?? actor.name, reporterContact: input.reporterContact, departmentIds: [],
            duplicateCount: 0, reopenCount: 0, reworkCount: 0, extensionCount: 0,
            customFields: input.customFields ?? [:],
            caseDeadline: limits.flatMap { calendar.add(now, workingMinutes: $0.total.workingMinutes(on: calendar)) },
            reportedAt: now, updatedAt: now, revision: 1)

        // 智能合并线索: the same problem already open nearby.
        let rule = platform.settings.duplicates
        var duplicates: [Case] = []
        if rule.mode != .off {
            let candidates = try await cases.nearbyOpen(
                kind: matter.kind, majorCode: matter.majorCode, minorCode: matter.minorCode,
                keys: rule.searchKeys(around: point), reportedAfter: now - rule.windowMillis, on: db)
            let found = rule.duplicates(
                among: candidates, of: matter.kind, major: matter.majorCode, minor: matter.minorCode, at: point,
                reportedAt: now)
            duplicates = try await cases.find(ids: found.map(\.id), on: db)
        }
        if rule.mode == .merge, let original = duplicates.first {
            record.state = .merged
            record.duplicateOf = original.id
            record.caseDeadline = nil
            try await cases.insert(record, on: db)
            try await cases.append(
                CaseEvent(
                    caseId: record.id, seq: 1, at: now, actor: actor, action: "report", fromState: nil,
                    toState: .merged, note: "duplicate of \(original.number)",
                    attachments: input.attachments ?? []), on: db)
            try await platform.files.link(
                input.attachments ?? [], to: record.id, phase: .before, eventSeq: 1, by: actor, on: db)
            try await cases.add(CaseReporter(of: record), on: db)
            let merged = try await absorb(record, into: original, by: actor, at: now, on: db)
            return ReportOutcome(case: record, mergedInto: merged, possibleDuplicates: [])
        }
        if let stage = state.stage {
            startClock(&record, stage: stage, matter: matter, at: now, calendar: calendar)
        }
        try await cases.insert(record, on: db)
        try await cases.append(
            CaseEvent(
                caseId: record.id, seq: 1, at: now, actor: actor, action: "report", fromState: nil,
                toState: state, note: nil, attachments: input.attachments ?? []), on: db)
        try await platform.files.link(
            input.attachments ?? [], to: record.id, phase: .before, eventSeq: 1, by: actor, on: db)
        try await cases.add(CaseReporter(of: record), on: db)
        return ReportOutcome(case: record, mergedInto: nil, possibleDuplicates: duplicates)
    }

    private func source(of input: NewReport, by actor: Principal) throws -> CaseSource {
        switch actor.kind {
        case .citizen: return .citizen
        case .key:
            // An Open311 app reports for citizens; a key that may do both says which it is doing.
            let open311 = actor.keyScopes.contains(.open311Submit)
            return open311 && (input.source == .citizen || !actor.keyScopes.contains(.casesCreate))
                ? .citizen : .machine
        case .staff:
            if actor.roles.contains(.intake), let source = input.source {
                guard [.intake, .hotline].contains(source) else {
                    throw DomainError.validation([
                        FieldIssue(
                            field: "source", code: "invalid_value",
                            message: "Intake operators enter intake or hotline reports.")
                    ])
                }
                return source
            }
            if actor.roles.contains(.inspector) { return .inspector }
            return actor.id == Principal.system.id ? (input.source ?? .machine) : .intake
        }
    }

    /// Counts a duplicate on the open case and notes it in that case's history (the duplicate's
    /// reporter is filed under the open case by the caller).
    private func absorb(
        _ duplicate: Case, into original: Case, by actor: Principal, at now: Int64,
        on db: any SQLDatabase
    ) async throws -> Case {
        var target = original
        target.duplicateCount += 1
        target.updatedAt = now
        target.revision += 1
        try await cases.update(target, from: original, on: db)
        try await cases.append(
            CaseEvent(
                caseId: target.id, seq: target.revision, at: now,
                actor: actor, action: "duplicate_merged", fromState: target.state, toState: target.state,
                note: "report \(duplicate.number) merged as a duplicate"), on: db)
        return target
    }

    func resolveMatter(id: String?, code: String?, on db: any SQLDatabase) async throws -> Matter {
        var matter: Matter?
        if let id {
            matter = try await matters.find(id: id, on: db)
        } else if let code = code.flatMap(MatterCode.init) {
            matter = try await matters.find(code: code, on: db)
        }
        guard let matter, matter.active else {
            throw DomainError.validation([
                FieldIssue(
                    field: id != nil ? "matterId" : "matterCode", code: "unknown_matter",
                    message: "Name an active matter by matterId or matterCode (e.g. E0102).")
            ])
        }
        return matter
    }

    private func startClock(
        _ record: inout Case, stage: CaseStage, matter: Matter, at now: Int64, calendar: WorkCalendar
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

    // MARK: Actions

    /// What a step reads before it writes.
    struct Snapshot {
        var record: Case
        var matter: Matter?
        var calendar: WorkCalendar
    }

    public func act(caseId: String, _ input: CaseActionInput, by actor: Principal) async throws -> Case {
        // The reads happen on a reader connection, outside the single writer; the revision check
        // in the update refuses the write if the case changed meanwhile, and the step is retried.
        for attempt in 1...3 {
            let current = try await platform.pool.read { db in try await self.snapshot(of: caseId, on: db) }
            do {
                return try await platform.write(
                    actor, "case.\(input.action.rawValue)", target: "case",
                    summary: { ($0.id, "\($0.number) → \($0.state.rawValue)") }
                ) { db in
                    var record = try await apply(input, to: current, by: actor, on: db)
                    // Auto-dispatch: a filed case whose matter and area have a routing rule goes out at once.
                    if input.action == .file, platform.settings.autoDispatch,
                        let rule = try await MatterService(platform: platform).route(
                            matterId: record.matterId, areaPath: record.areaPath, on: db)
                    {
                        let matter = try await matters.find(id: record.matterId, version: record.matterVersion, on: db)
                        record = try await apply(
                            CaseActionInput(
                                .dispatch, note: "auto-dispatch by routing rule", departmentIds: rule.departmentIds),
                            to: Snapshot(record: record, matter: matter, calendar: current.calendar), by: .system,
                            on: db)
                    }
                    return record
                }
            } catch let error as DomainError where error.code == .concurrentUpdate && attempt < 3 {
                continue
            }
        }
        throw DomainError(
            .conflict, code: .concurrentUpdate, "Someone else changed this case just now; reload and try again.")
    }

    func snapshot(of caseId: String, on db: any SQLDatabase) async throws -> Snapshot {
        guard let record = try await cases.find(id: caseId, on: db) else { throw DomainError.notFound("Case") }
        return Snapshot(
            record: record, matter: try await matters.find(id: record.matterId, version: record.matterVersion, on: db),
            calendar: try await CalendarRepository().current(on: db))
    }

    func apply(_ input: CaseActionInput, to snapshot: Snapshot, by actor: Principal, on db: any SQLDatabase)
        async throws -> Case
    {
        var record = snapshot.record
        try actor.requireScope(record.areaPath)
        let action = input.action
        try authorize(action, on: record, by: actor)
        guard let next = action.next(from: record.state, pending: record.pendingRequest) else {
            throw DomainError(
                .conflict, code: "invalid_transition",
                "A case that is \(record.state.rawValue)\(record.pendingRequest.map { " with a pending \($0.rawValue) request" } ?? "") cannot be \(action.rawValue)ed."
            )
        }
        let now = platform.now()
        let calendar = snapshot.calendar
        let from = record.state
        var detail: [String: String] = [:]
        var matter = snapshot.matter

        var validator = Validator()
        switch action {
        case .verify:
            validator.check(
                input.verified != nil, "verified", "required", "Say whether the problem was found as reported.")
            detail["verified"] = input.verified.map(String.init)
        case .file:
            if let matterId = input.matterId, matterId != record.matterId {
                let changed = try await resolveMatter(id: matterId, code: nil, on: db)
                (record.matterId, record.kind, record.majorCode, record.minorCode) = (
                    changed.id, changed.kind, changed.majorCode, changed.minorCode
                )
                detail["reclassifiedFrom"] = record.matterCode
                matter = changed
            } else {
                matter = try await matters.find(id: record.matterId, on: db)
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
                    try await DepartmentRepository().find(id: id, on: db)?.active == true, "departmentIds[\(index)]",
                    "unknown_department", "No active department has this id.")
            }
            record.departmentIds = ids
            detail["departments"] = ids.joined(separator: ",")
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
        // 派遣核实/核查: the verification (with the accept, or later) or the check goes to one inspector.
        if let inspectorId = input.inspectorId, action == .assign || action == .accept {
            let inspector = try await UserRepository().find(id: inspectorId, on: db)
            validator.check(
                inspector.map { $0.active && $0.roles.contains(.inspector) && record.areaPath.hasPrefix($0.areaPath) }
                    == true,
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

        // Stage clocks: a new stage finishes the running one and starts its own clock.
        if from.stage != next.stage || action == .fail || action == .reopen || action == .approveReturn {
            if var clock = record.stageClock, let stage = from.stage {
                let onTime = clock.finish(at: now, on: calendar)
                let finished = CaseStageRecord(
                    caseId: record.id, seq: try await cases.nextStageSeq(caseId: record.id, on: db), stage: stage,
                    startedAt: clock.startedAt, deadline: record.stageDeadline, limitMillis: clock.limitMillis,
                    usedMillis: clock.usedMillis, finishedAt: now, onTime: onTime, endedBy: action.rawValue,
                    actorId: actor.id,
                    departmentId: stage == .handle
                        ? (actor.departmentId ?? record.departmentIds.first)
                        : (stage == .check ? record.departmentIds.first : nil))
                try await cases.insert(finished, on: db)
                try await cases.count(finished, day: calendar.localDayNumber(now), on: db)
            }
            record.stageClock = nil
            record.stageDeadline = nil
            if let stage = next.stage, let matter {
                startClock(&record, stage: stage, matter: matter, at: now, calendar: calendar)
            }
        } else {
            record.stageDeadline = record.stageClock?.deadline(on: calendar)
        }
        if next != .handling && next != .suspended { record.pendingRequest = nil }
        if next != from && (from == .verifying || from == .checking) { record.assigneeId = nil }

        record.state = next
        if next == .closed { record.closedAt = now }
        if action == .merge, let targetId = input.duplicateOf {
            guard let target = try await cases.find(id: targetId, on: db), target.state.isOpen, target.state != .merged
            else {
                throw DomainError.validation([
                    FieldIssue(field: "duplicateOf", code: "unknown_case", message: "No open case has this id.")
                ])
            }
            try actor.requireScope(target.areaPath)
            record.duplicateOf = target.id
            try await cases.add(CaseReporter(of: record), on: db)
            _ = try await absorb(record, into: target, by: actor, at: now, on: db)
        }
        record.updatedAt = now
        record.revision += 1
        try await cases.update(record, from: snapshot.record, on: db)
        let detailText = detail.isEmpty ? nil : String(decoding: try JSONEncoder().encode(detail), as: UTF8.self)
        // Every change adds one history line and one revision, so the line's number is the revision.
        let seq = record.revision
        try await cases.append(
            CaseEvent(
                caseId: record.id, seq: seq, at: now, actor: actor, action: action.rawValue, fromState: from,
                toState: next, note: input.note, attachments: input.attachments ?? [], detail: detailText), on: db)
        try await platform.files.link(
            input.attachments ?? [], to: record.id, phase: AttachmentPhase(action: action.rawValue),
            eventSeq: seq, by: actor, on: db)
        return record
    }

    /// Role, and for department handlers, that the case is their department's.
    func authorize(_ action: CaseAction, on record: Case, by actor: Principal) throws {
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
    public func allowedActions(_ record: Case, by actor: Principal) -> [CaseAction] {
        guard actor.canSee(path: record.areaPath) else { return [] }
        return CaseAction.allCases.filter { action in
            action.next(from: record.state, pending: record.pendingRequest) != nil
                && (try? authorize(action, on: record, by: actor)) != nil
        }
    }

    /// Verification and check tasks: an inspector's are those sent to them or to nobody yet; an
    /// intake operator's are checks not yet sent; a leader watches them all.
    private func isTask(_ record: Case, for actor: Principal) -> Bool {
        guard record.state == .verifying || record.state == .checking, !actor.roles.contains(.leader) else {
            return true
        }
        if actor.roles.contains(.inspector), record.assigneeId == nil || record.assigneeId == actor.id { return true }
        return actor.roles.contains(.intake) && record.state == .checking && record.assigneeId == nil
    }

    // MARK: Reading

    public func detail(id: String, by actor: Principal) async throws -> CaseDetail {
        try await platform.pool.read { db in
            guard let record = try await cases.find(idOrNumber: id, on: db) else { throw DomainError.notFound("Case") }
            try requireVisible(record, to: actor)
            let calendar = try await CalendarRepository().current(on: db)
            let matter = try await matters.find(id: record.matterId, version: record.matterVersion, on: db)
            return CaseDetail(
                case: record, matter: matter, events: try await cases.events(caseId: record.id, on: db),
                stages: try await cases.stages(caseId: record.id, on: db),
                reporters: try await cases.reporters(caseId: record.duplicateOf ?? record.id, on: db),
                attachments: try await platform.files.attachments(of: record.id, on: db),
                clock: status(record, matter: matter, calendar: calendar),
                allowedActions: allowedActions(record, by: actor))
        }
    }

    /// Staff see cases in their scope; citizens and keys see the cases they reported.
    func requireVisible(_ record: Case, to actor: Principal) throws {
        switch actor.kind {
        case .staff: try actor.requireScope(record.areaPath)
        case .citizen, .key:
            guard record.reporterId == actor.id else { throw DomainError.notFound("Case") }
        }
    }

    func status(_ record: Case, matter: Matter?, calendar: WorkCalendar) -> ClockStatus? {
        guard let clock = record.stageClock, let stage = record.state.stage else { return nil }
        let now = platform.now()
        return ClockStatus(
            stage: stage,
            level: ClockLevel(
                fractionUsed: clock.fractionUsed(at: now, on: calendar),
                warningThreshold: matter?.warningThreshold(for: stage) ?? 0.8),
            usedMillis: clock.used(at: now, on: calendar), limitMillis: clock.limitMillis,
            deadline: record.stageDeadline, suspended: clock.isSuspended)
    }

    public func search(_ filter: CaseRepository.Filter, page: PageRequest, by actor: Principal) async throws -> Page<
        Case
    > {
        var filter = filter
        filter.scopePath = actor.listScope
        return try await platform.pool.read { try await cases.list(filter, page: page, on: $0) }
    }

    /// What is waiting for the caller, by their roles: most urgent, then nearest deadline, first.
    public func queue(by actor: Principal, limit: Int = 200) async throws -> [QueueItem] {
        var states: Set<CaseState> = []
        // Intake: reports to accept, and finished work whose check is still to be sent out.
        if actor.roles.contains(.intake) { states.formUnion([.reported, .checking]) }
        if actor.roles.contains(.inspector) { states.formUnion([.verifying, .checking]) }
        if actor.roles.contains(.supervisor) { states.formUnion([.filing, .closing]) }
        if actor.roles.contains(.dispatcher) { states.insert(.dispatching) }
        if actor.roles.contains(.leader) {
            states.formUnion(CaseState.allCases.filter(\.isOpen).filter { $0 != .merged })
        }
        return try await platform.pool.read { db in
            var found: [Case] = []
            if !states.isEmpty {
                var filter = CaseRepository.Filter(scopePath: actor.listScope)
                filter.states = Array(states).sorted { $0.rawValue < $1.rawValue }
                found += try await cases.queue(filter, limit: limit, on: db)
            }
            if actor.roles.contains(.dispatcher) {
                var filter = CaseRepository.Filter(scopePath: actor.listScope)
                filter.states = [.handling]
                filter.pendingRequestOnly = true
                found += try await cases.queue(filter, limit: limit, on: db)
            }
            if actor.roles.contains(.handler), let departmentId = actor.departmentId {
                var filter = CaseRepository.Filter(scopePath: actor.listScope)
                filter.states = [.handling, .suspended]
                filter.departmentId = departmentId
                found += try await cases.queue(filter, limit: limit, on: db)
            }
            let calendar = try await CalendarRepository().current(on: db)
            var seen = Set<String>()
            return found.filter { seen.insert($0.id).inserted && isTask($0, for: actor) }.map { record in
                QueueItem(case: record, clock: status(record, matter: nil, calendar: calendar))
            }
        }
    }
}

extension Principal {
    /// A citizen who reports without an account, leaving a contact.
    public static let anonymousCitizen = Principal(kind: .citizen, id: "anonymous", name: "anonymous", scope: nil)
}

extension WorkCalendar {
    /// The local day number an instant falls on.
    public func localDayNumber(_ instant: Int64) -> Int {
        let local = instant + Int64(utcOffsetMinutes) * 60_000
        return Int(local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000)
    }
}
