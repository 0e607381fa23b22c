import ChengyunCore
import Foundation
import SQLKit

/// Emergency incidents (突发事件): reported by hand or from a case, alarm, warning or risk cell;
/// a plan activated at a level puts its tasks, notices and resource requests in place in one
/// transaction; owners report on their tasks; the command changes the level, logs reports,
/// decisions and orders, assigns resources; and closes the incident with a summary and a review.
/// Every write is audited, logged on the incident, and announced on the live stream.
public struct IncidentService: Sendable {
    let platform: Platform
    let incidents = IncidentRepository()
    /// Who commands: activates plans, changes the level, closes.
    static let commanders: Set<Role> = [.supervisor, .leader, .admin]
    /// Who reports incidents and writes their log.
    static let reporters: Set<Role> = [.intake, .supervisor, .dispatcher, .leader, .admin]

    public init(platform: Platform) { self.platform = platform }

    public func open(_ input: NewIncident, by actor: Principal) async throws -> Incident {
        let now = platform.now()
        let (incident, published) = try await platform.write(
            actor, "incident.report", target: "incident",
            summary: { (o: (Incident, [SequencedEvent])) in (o.0.id, "\(o.0.number) \(o.0.title)") }
        ) { db in
            var v = Validator()
            let title = input.title.trimmingCharacters(in: .whitespacesAndNewlines)
            v.check((1...200).contains(title.count), "title", "invalid_value", "1 to 200 characters.")
            v.check(
                input.incidentType.isLowerCode,
                "incidentType", "invalid_value", "A type code such as gas_leak.")
            let scene = GeoPoint(lon: input.lon, lat: input.lat)
            v.check(scene.isValid, "lon", "invalid_position", "A WGS-84 longitude and latitude.")
            v.check((input.address ?? "").count <= 200, "address", "too_long", "At most 200 characters.")
            let every = input.reportEveryMinutes ?? 30
            v.check((5...1_440).contains(every), "reportEveryMinutes", "invalid_value", "5 to 1,440 minutes.")
            Self.checkFacts(input.facts ?? [:], into: &v)
            try v.finish()
            guard let areaId = input.areaId ?? actor.scope?.areaId else { throw DomainError.outOfScope() }
            let area = try await platform.organisation.area(id: areaId, by: actor, on: db)
            if let source = input.source { try await Self.checkSource(source, by: actor, on: db) }
            let calendar = try await CalendarRepository().current(on: db)
            let prefix =
                "YJ"
                + LocalDate(dayNumber: calendar.localDayNumber(now)).description
                .replacingOccurrences(of: "-", with: "")
            let sequence = try await CaseRepository().nextSequence(prefix: prefix, on: db)
            let incident = Incident(
                id: Identifier.make(at: now), number: prefix + String(format: "%03d", sequence), title: title,
                incidentType: input.incidentType, scene: scene,
                address: input.address?.trimmingCharacters(in: .whitespacesAndNewlines), areaId: area.id,
                areaPath: area.path, source: input.source, facts: input.facts ?? [:], drill: input.drill ?? false,
                reportEveryMinutes: every, reportedBy: actor.id, reportedAt: now, updatedAt: now)
            try await incidents.insert(incident, on: db)
            _ = try await incidents.append(
                [
                    entry(
                        incident, .report,
                        IncidentWording.reported(title, source: input.source, facts: incident.facts), by: actor,
                        at: now)
                ], on: db)
            return (incident, try await EventOutbox().append([.incident(incident)], at: now, on: db))
        }
        platform.monitoring.events.committed(published)
        return incident
    }

    /// Incidents in the caller's scope, newest first.
    public func list(status: IncidentStatus?, drill: Bool?, by actor: Principal) async throws -> [Incident] {
        try await platform.pool.read {
            try await incidents.list(scope: actor.listScope, status: status, drill: drill, limit: 500, on: $0)
        }
    }

    public func incident(_ id: String, by actor: Principal) async throws -> Incident {
        try await platform.pool.read { try await incident(id, by: actor, on: $0) }
    }

    func incident(_ id: String, by actor: Principal, on db: any SQLDatabase) async throws -> Incident {
        try actor.found(try await incidents.find(id, on: db), "Incident", in: \.areaPath)
    }

    /// Everything the command board shows.
    public func board(_ id: String, by actor: Principal) async throws -> IncidentBoard {
        try await platform.pool.read { db in
            let incident = try await incident(id, by: actor, on: db)
            let plan: EmergencyPlan? =
                if let code = incident.planCode {
                    try await PlanRepository().find(code, version: incident.planVersion, on: db)
                } else {
                    try await PlanRepository().latest(forType: incident.incidentType, on: db)
                }
            let resources = try await incidents.resources(of: incident.id, on: db)
            return IncidentBoard(
                incident: incident, suggestedLevel: plan?.suggestedLevel(facts: incident.facts),
                nextReportDue: incident.nextReportDue, tasks: try await incidents.tasks(of: incident.id, on: db),
                notices: try await incidents.notices(of: incident.id, on: db),
                requests: try await incidents.requests(of: incident.id, on: db), resources: resources,
                log: try await incidents.log(of: incident.id, on: db),
                attachments: try await platform.files.attachments(ofIncident: incident.id, on: db),
                materials: try await StockRepository().materials(of: incident.id, on: db))
        }
    }

    /// The post-incident review (while the response runs, the review so far).
    public func review(_ id: String, by actor: Principal) async throws -> IncidentReview {
        try await platform.pool.read { db in
            let incident = try await incident(id, by: actor, on: db)
            return IncidentReview(
                incident: incident, tasks: try await incidents.tasks(of: incident.id, on: db),
                requests: try await incidents.requests(of: incident.id, on: db))
        }
    }

    /// A report, situation report, decision or order on the log; facts learnt replace the
    /// same-named ones; a situation report restarts its clock.
    public func record(_ input: IncidentLogInput, on id: String, by actor: Principal) async throws -> IncidentLogEntry {
        try await change(id, "incident.log", by: actor, attachments: input.attachments ?? []) { incident, db, now in
            var v = Validator()
            let text = input.text.trimmingCharacters(in: .whitespacesAndNewlines)
            v.check((1...2_000).contains(text.count), "text", "invalid_value", "1 to 2,000 characters.")
            v.check(
                IncidentLogEntry.written.contains(input.kind), "kind", "invalid_value",
                "report, situation, decision or order.")
            Self.checkFacts(input.facts ?? [:], into: &v)
            try v.finish()
            guard incident.status != .closed else { throw Self.closed() }
            incident.facts.merge(input.facts ?? [:]) { _, new in new }
            if input.kind == .situation { incident.lastReportAt = now }
            return [
                entry(incident, input.kind, text + IncidentWording.factText(input.facts ?? [:]), by: actor, at: now)
            ]
        }.log[0]
    }

    /// Closes an active or reported incident: tasks not yet taken up are withdrawn; tasks under
    /// way must be finished (or reported blocked and finished) first.
    public func close(_ input: IncidentCloseInput, on id: String, by actor: Principal) async throws -> Incident {
        try await change(id, "incident.close", by: actor) { incident, db, now in
            let summary = input.summary.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...5_000).contains(summary.count) else {
                throw DomainError.validation([
                    FieldIssue(field: "summary", code: "invalid_value", message: "1 to 5,000 characters.")
                ])
            }
            guard incident.status != .closed else { throw Self.closed() }
            let tasks = try await incidents.tasks(of: incident.id, on: db)
            if let busy = tasks.first(where: { $0.status.isOpen && !$0.status.isUntouched }) {
                throw DomainError(
                    .conflict, code: "tasks_open",
                    "Task \(busy.stepCode) (\(busy.title)) is \(busy.status.rawValue); finish it first.")
            }
            for task in tasks where task.status.isUntouched {
                var withdrawn = task
                withdrawn.status = .cancelled
                withdrawn.updatedAt = now
                try await save(withdrawn, from: task, on: db)
            }
            incident.status = .closed
            incident.closedAt = now
            incident.summary = summary
            return [entry(incident, .close, IncidentWording.closed(summary), by: actor, at: now)]
        }.incident
    }

    /// Loads an incident in scope, lets `body` change it and say what to log, then saves it (when
    /// nobody changed it meanwhile), appends the log, audits and announces it.
    /// Files named in `attachments` (the caller's own uploads) go with the first log entry.
    func change(
        _ id: String, _ action: String, by actor: Principal, attachments: [String] = [],
        _ body: (inout Incident, any SQLDatabase, Int64) async throws -> [IncidentLogEntry]
    ) async throws -> (incident: Incident, log: [IncidentLogEntry]) {
        guard attachments.count <= 5 else {
            throw DomainError.validation([
                FieldIssue(field: "attachments", code: "too_many", message: "At most five files.")
            ])
        }
        let now = platform.now()
        let outcome = try await platform.write(
            actor, action, target: "incident",
            summary: { (o: (incident: Incident, log: [IncidentLogEntry], events: [SequencedEvent])) in
                (o.incident.id, "\(o.incident.number) " + (o.log.first?.text.prefix(200) ?? ""))
            }
        ) { db in
            let before = try await incident(id, by: actor, on: db)
            var incident = before
            let log = try await body(&incident, db, now)
            incident.updatedAt = max(now, before.updatedAt + 1)
            guard try await incidents.update(incident, from: before, on: db) else {
                throw DomainError(.conflict, code: .concurrentUpdate, "The incident changed meanwhile; look again.")
            }
            let appended = try await incidents.append(log, on: db)
            if !attachments.isEmpty {
                guard let first = appended.first else {
                    throw DomainError.validation([
                        FieldIssue(
                            field: "attachments", code: "nothing_to_attach_to", message: "No log entry to attach to.")
                    ])
                }
                try await platform.files.link(
                    attachments, toIncident: incident.id, logSeq: first.seq, by: actor, on: db)
            }
            let published = try await EventOutbox().append([.incident(incident)], at: now, on: db)
            return (incident: incident, log: appended, events: published)
        }
        platform.monitoring.events.committed(outcome.events)
        return (outcome.incident, outcome.log)
    }

    func save(_ task: IncidentTask, from previous: IncidentTask, on db: any SQLDatabase) async throws {
        guard try await incidents.update(task, from: previous, on: db) else {
            throw DomainError(.conflict, code: .concurrentUpdate, "The task changed meanwhile; look again.")
        }
    }

    func entry(_ incident: Incident, _ kind: IncidentLogEntry.Kind, _ text: String, by actor: Principal, at now: Int64)
        -> IncidentLogEntry
    {
        IncidentLogEntry(
            id: Identifier.make(at: now), incidentId: incident.id, kind: kind, text: text, actorId: actor.id,
            actorName: actor.name, at: now)
    }

    static func closed() -> DomainError {
        DomainError(.conflict, code: "incident_closed", "The incident is closed.")
    }

    static func checkFacts(_ facts: [String: Double], into v: inout Validator) {
        for (name, value) in facts.sorted(by: { $0.key < $1.key }) {
            v.check(
                name.isLowerCode && value.isFinite
                    && facts.count <= 50, "facts.\(name)", "invalid_value",
                "A fact name in lower case with a finite number.")
        }
    }

    /// The record an incident comes from must exist in the caller's scope.
    static func checkSource(_ source: IncidentSource, by actor: Principal, on db: any SQLDatabase) async throws {
        let table =
            switch source.kind {
            case .case: "cases"
            case .alarm: "alarms"
            case .warning: "warnings"
            case .riskCell: "grid_cells"
            }
        let row = try await db.select().column("area_path").from(table).where("id", .equal, source.id).first()
        guard let path = try row?.decode(column: "area_path", as: String.self) else {
            throw DomainError.validation([
                FieldIssue(
                    field: "source.id", code: "unknown_source", message: "No \(source.kind.rawValue) \(source.id).")
            ])
        }
        try actor.requireScope(path)
    }
}
