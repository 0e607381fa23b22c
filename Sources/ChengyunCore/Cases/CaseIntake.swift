/// A report becoming a case (上报), decided without a database: the channel it came through,
/// what is wrong with it, the new case with its clocks, and — when it repeats an open case and the
/// duplicate rule merges — the merge. The service resolves the matter, the grid cell, the number
/// and the duplicates, calls these, and saves the result.
public enum CaseIntake {
    /// The channel a report came through, from who sends it.
    public static func source(of input: NewReport, by actor: Principal) throws -> CaseSource {
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

    /// Every problem with a report at once: its text and position, its matter's custom fields,
    /// and what the public may not do.
    public static func issues(of input: NewReport, matter: Matter, source: CaseSource, by actor: Principal)
        -> [FieldIssue]
    {
        var validator = Validator()
        validator.checkName(input.description, field: "description", max: 2000)
        validator.check(
            GeoPoint(lon: input.lon, lat: input.lat).isValid, "lon", "invalid_position",
            "Longitude -180…180 and latitude -90…90.")
        matter.customFieldIssues(input.customFields).forEach { validator.add($0) }
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
        return validator.issues
    }

    /// The new case in its first state, its case deadline and its first stage's clock running.
    public static func newCase(
        _ input: NewReport, id: String, number: String, matter: Matter, cell: GridCell, source: CaseSource,
        by actor: Principal, at now: Int64, on calendar: WorkCalendar
    ) -> Case {
        let urgency = input.urgency ?? .normal
        let limits = matter.limits(for: urgency)
        let state = source.initialState(autoAccept: matter.autoAccept && source == .machine)
        var record = Case(
            id: id, number: number, kind: matter.kind, matterId: matter.id, matterVersion: matter.version,
            majorCode: matter.majorCode, minorCode: matter.minorCode, urgency: urgency, state: state, source: source,
            description: input.description, address: input.address, lon: input.lon, lat: input.lat,
            gridCellId: cell.id, areaId: cell.areaId, areaPath: cell.areaPath, reporterKind: actor.kind.rawValue,
            reporterId: actor.id == Principal.anonymousCitizen.id ? nil : actor.id,
            reporterName: input.reporterName ?? actor.name, reporterContact: input.reporterContact, departmentIds: [],
            duplicateCount: 0, reopenCount: 0, reworkCount: 0, extensionCount: 0,
            customFields: input.customFields ?? [:],
            caseDeadline: limits.flatMap { calendar.add(now, workingMinutes: $0.total.workingMinutes(on: calendar)) },
            reportedAt: now, updatedAt: now, revision: 1)
        if let stage = state.stage { CaseStep.startClock(&record, stage: stage, matter: matter, at: now, on: calendar) }
        return record
    }

    /// What filing a report writes: the case, its first history line, its reporter, and, when it
    /// is merged into the open case it repeats, that case's absorption.
    public struct Filing: Sendable {
        public var record: Case
        public var event: CaseEvent
        public var reporter: CaseReporter
        public var absorbed: CaseStep.Absorption?
    }

    /// Files a new case, or — given the open case it repeats under a merging rule — files it as
    /// merged (no clocks, no deadline) and counts it on the original.
    public static func file(
        _ record: Case, mergingInto original: Case?, attachments: [String], by actor: Principal, at now: Int64
    ) -> Filing {
        var record = record
        var absorbed: CaseStep.Absorption?
        if let original {
            record.state = .merged
            record.duplicateOf = original.id
            record.caseDeadline = nil
            record.stageClock = nil
            record.stageDeadline = nil
            absorbed = CaseStep.absorb(record, into: original, by: actor, at: now)
        }
        let event = CaseEvent(
            caseId: record.id, seq: 1, at: now, actor: actor, action: "report", fromState: nil, toState: record.state,
            note: original.map { "duplicate of \($0.number)" }, attachments: attachments)
        return Filing(record: record, event: event, reporter: CaseReporter(of: record), absorbed: absorbed)
    }
}
