import ChengyunCore
import Foundation
import SQLKit

/// The case loop (docs/domain.md §3): intake from every channel, every step and side path, each checked
/// against role, scope and state and recorded in the history in the same transaction as the
/// state change. The decisions are Core's (`CaseIntake`, `CaseStep`); this loads the facts they
/// need and saves what they decide.
public struct CaseService: Sendable {
    let platform: Platform
    let cases = CaseRepository()
    let matters = MatterRepository()
    /// Auto-dispatch asks the catalogue's routing rules where a filed case goes.
    var routing: MatterService { platform.matters }

    /// An active matter by id, or by its code (E0102).
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

    // MARK: Actions

    /// What a step reads before it writes.
    struct Snapshot {
        var record: Case
        var matter: Matter?
        var calendar: WorkCalendar
    }

    /// A case step: the case loop's hot path, its statements prepared on PostgreSQL (`PostgresPrepared`).
    public func act(caseId: String, _ input: CaseActionInput, by actor: Principal) async throws -> Case {
        try await PostgresPrepared.preparing { try await step(caseId: caseId, input, by: actor) }
    }

    private func step(caseId: String, _ input: CaseActionInput, by actor: Principal) async throws -> Case {
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
                    if input.action == .accept, record.matterId != current.record.matterId {
                        try await recheckDepartment(of: record, on: db)
                    }
                    if input.action == .dispatch {
                        try await platform.dispatch.noteDispatch(
                            current.record, chosen: input.departmentIds ?? [], by: actor, on: db)
                    }
                    // Auto-dispatch: a filed case goes out at once where a routing rule covers its matter
                    // and area, or else where the learned model is sure enough (`DispatchPolicy`).
                    guard input.action == .file, platform.settings.autoDispatch else { return record }
                    let matter = try await matters.find(id: record.matterId, version: record.matterVersion, on: db)
                    let auto: (departmentIds: [String], note: String)? =
                        if let rule = try await routing.route(
                            matterId: record.matterId, areaPath: record.areaPath, on: db)
                        {
                            (rule.departmentIds, "auto-dispatch by routing rule")
                        } else {
                            try await platform.dispatch.autoDispatch(record, on: db).map {
                                ([$0.departmentId], $0.note)
                            }
                        }
                    if let auto {
                        record = try await apply(
                            CaseActionInput(.dispatch, note: auto.note, departmentIds: auto.departmentIds),
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

    /// Loads what the step names, decides it (`CaseStep.apply`) and saves the outcome.
    func apply(_ input: CaseActionInput, to snapshot: Snapshot, by actor: Principal, on db: any SQLDatabase)
        async throws -> Case
    {
        let now = platform.now()
        let facts = try await facts(for: input, about: snapshot, on: db)
        var outcome = try CaseStep.apply(input, to: snapshot.record, facts: facts, by: actor, at: now)
        if var finished = outcome.finishedStage {
            finished.seq = try await cases.nextStageSeq(caseId: finished.caseId, on: db)
            try await cases.insert(finished, on: db)
            try await cases.count(finished, day: snapshot.calendar.localDayNumber(now), on: db)
            outcome.finishedStage = finished
        }
        if let absorbed = outcome.absorbed, let target = facts.mergeTarget {
            try await save(absorbed, replacing: target, on: db)
        }
        try await cases.update(outcome.record, from: snapshot.record, on: db)
        try await recordStep(outcome.event, of: outcome.record, on: db)
        try await platform.files.link(
            input.attachments ?? [], to: outcome.record.id, phase: AttachmentPhase(action: input.action.rawValue),
            eventSeq: outcome.event.seq, by: actor, on: db)
        return outcome.record
    }

    /// The facts a step names: only what its action reads.
    private func facts(for input: CaseActionInput, about snapshot: Snapshot, on db: any SQLDatabase) async throws
        -> CaseStep.Facts
    {
        let record = snapshot.record
        var facts = CaseStep.Facts(calendar: snapshot.calendar, matter: snapshot.matter)
        switch input.action {
        case .file:
            facts.filedMatter = try await matters.find(id: input.matterId ?? record.matterId, on: db)
        case .accept:
            if let id = input.matterId { facts.filedMatter = try await matters.find(id: id, on: db) }
        case .dispatch:
            for id in Set(input.departmentIds ?? []) {
                if try await DepartmentRepository().find(id: id, on: db)?.active == true {
                    facts.activeDepartmentIds.insert(id)
                }
            }
        case .merge:
            if let id = input.duplicateOf { facts.mergeTarget = try await cases.find(id: id, on: db) }
        default:
            break
        }
        if let inspectorId = input.inspectorId, input.action == .assign || input.action == .accept {
            facts.inspector = try await UserRepository().find(id: inspectorId, on: db)
        }
        return facts
    }

    /// A duplicate counted on the open case it repeats: the reporter filed under it, the case
    /// updated (revision-checked) and its history line.
    func save(_ absorbed: CaseStep.Absorption, replacing original: Case, on db: any SQLDatabase) async throws {
        try await cases.add(absorbed.reporter, on: db)
        try await cases.update(absorbed.original, from: original, on: db)
        try await recordStep(absorbed.event, of: absorbed.original, on: db)
    }

    /// A step's history line and, in the same transaction, what the subscriptions to cases in its
    /// area hear of it (`CaseChange`): a step that rolls back is heard by none.
    func recordStep(_ event: CaseEvent, of record: Case, on db: any SQLDatabase) async throws {
        try await cases.append(event, on: db)
        try await SubscriptionOutbox().published([CaseChange(record, step: event)], at: event.at, on: db)
    }
}
