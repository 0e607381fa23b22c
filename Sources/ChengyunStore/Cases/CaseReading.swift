import ChengyunCore
import SQLKit

/// Reading cases: one case whole for its page, searches, and each role's work queue.
extension CaseService {
    public func detail(id: String, by actor: Principal) async throws -> CaseDetail {
        try await platform.pool.read { db in
            guard let record = try await cases.find(idOrNumber: id, on: db) else { throw DomainError.notFound("Case") }
            try record.requireVisible(to: actor)
            let calendar = try await CalendarRepository().current(on: db)
            let matter = try await matters.find(id: record.matterId, version: record.matterVersion, on: db)
            return CaseDetail(
                case: record, matter: matter, events: try await cases.events(caseId: record.id, on: db),
                stages: try await cases.stages(caseId: record.id, on: db),
                reporters: try await cases.reporters(caseId: record.duplicateOf ?? record.id, on: db),
                attachments: try await platform.files.attachments(of: record.id, on: db),
                clock: status(record, matter: matter, calendar: calendar),
                allowedActions: CaseStep.allowedActions(record, by: actor),
                intakeFlags: try await IntakeRepository().flags(of: [record.id], on: db)[record.id] ?? [],
                possibleDuplicates: try await possibleDuplicates(of: record, by: actor, on: db))
        }
    }

    /// What a report that can still be merged (上报, 待核实, 待立案) may repeat, in the caller's scope.
    private func possibleDuplicates(of record: Case, by actor: Principal, on db: any SQLDatabase) async throws
        -> [PossibleDuplicate]
    {
        guard [.reported, .verifying, .filing].contains(record.state) else { return [] }
        return try await scoredDuplicates(of: record, on: db).filter { actor.canSee(path: $0.case.areaPath) }
            .map {
                PossibleDuplicate(
                    caseId: $0.case.id, number: $0.case.number, matterCode: $0.case.matterCode, state: $0.case.state,
                    description: $0.case.description, match: $0.match)
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
            found = found.filter { seen.insert($0.id).inserted && isTask($0, for: actor) }
            // In wartime the emergency's cases come first (平战结合).
            found = Wartime.queueOrder(
                found, path: \.areaPath, matter: \.matterId, priority: try await ModeService.wartimeMatters(on: db))
            let atIntake = found.filter { [.reported, .verifying, .filing].contains($0.state) }.map(\.id)
            let flags = try await IntakeRepository().flags(of: atIntake, on: db)
            return found.map { record in
                QueueItem(
                    case: record, clock: status(record, matter: nil, calendar: calendar),
                    intakeFlags: flags[record.id] ?? [])
            }
        }
    }

    /// Verification and check tasks: an inspector's are those sent to them or to nobody yet; an
    /// intake operator's are checks not yet sent; a leader watches them all.
    func isTask(_ record: Case, for actor: Principal) -> Bool {
        guard record.state == .verifying || record.state == .checking, !actor.roles.contains(.leader) else {
            return true
        }
        if actor.roles.contains(.inspector), record.assigneeId == nil || record.assigneeId == actor.id { return true }
        return actor.roles.contains(.intake) && record.state == .checking && record.assigneeId == nil
    }
}
