import ChengyunCore
import Foundation
import SQLKit

/// The response: activating a plan, changing the level, tasks reported on, resources assigned.
extension IncidentService {
    /// Activates a plan at a level: the command post, the tasks (waiting on their dependencies),
    /// the notices and the resource requests, all in the one transaction of the change.
    public func activate(_ input: PlanActivationInput, on id: String, by actor: Principal) async throws -> IncidentBoard
    {
        _ = try await change(id, "incident.activate", by: actor) { incident, db, now in
            guard incident.status == .reported else {
                throw DomainError(
                    .conflict, code: "already_active",
                    incident.status == .closed
                        ? "The incident is closed." : "A plan is active; change the level instead.")
            }
            let plan = try await PlanService(platform: platform).plan(input.plan, version: input.version, on: db)
            let (level, reason) = try Self.decide(input.level, input.reason, plan: plan, incident: incident)
            let departments = try await PlanService.departments(of: plan, on: db)
            try plan.check(departments: Set(departments.keys))
            let calendar = try await CalendarRepository().current(on: db)
            incident.status = .active
            incident.level = level.level
            incident.planCode = plan.code
            incident.planVersion = plan.version
            incident.headquarters = plan.command.headquarters
            incident.activatedAt = now
            let activation = PlanActivation.activate(
                plan, at: level.level, for: incident, departments: departments, at: now,
                utcOffsetMinutes: calendar.utcOffsetMinutes, makeId: Identifier.sequence(at: now))
            try await incidents.insert(activation.tasks, on: db)
            try await incidents.insert(activation.notices, on: db)
            try await incidents.insert(activation.requests, on: db)
            let wartime = try await enterWartime(incident, by: actor, at: now, on: db)
            let command = try await commandByLevel(&incident, by: actor, at: now, on: db)
            let text = IncidentWording.activated(
                level.level, plan: plan, tasks: activation.tasks.count, notices: activation.notices.count,
                requests: activation.requests.count, note: reason)
            return [entry(incident, .level, text, by: actor, at: now)] + command + wartime
        }
        return try await board(id, by: actor)
    }

    /// Raises or lowers the level (升级/降级): the remaining steps are re-planned at the new level.
    public func changeLevel(_ input: LevelChangeInput, on id: String, by actor: Principal) async throws -> IncidentBoard
    {
        _ = try await change(id, "incident.level", by: actor) { incident, db, now in
            let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...2_000).contains(reason.count) else {
                throw DomainError.validation([
                    FieldIssue(field: "reason", code: "required", message: "Say why the level changes.")
                ])
            }
            guard incident.status == .active, let from = incident.level, let code = incident.planCode else {
                throw DomainError(.conflict, code: "not_active", "Activate a plan before changing the level.")
            }
            guard input.level != from else {
                throw DomainError(.conflict, code: "same_level", "The incident is at level \(from.numeral) already.")
            }
            let plan = try await PlanService(platform: platform).plan(code, version: incident.planVersion, on: db)
            guard plan.level(input.level) != nil else {
                throw DomainError.validation([
                    FieldIssue(
                        field: "level", code: "unknown_level",
                        message: "Plan \(code) has no level \(input.level.rawValue).")
                ])
            }
            let departments = try await PlanService.departments(of: plan, on: db)
            let calendar = try await CalendarRepository().current(on: db)
            let tasks = try await incidents.tasks(of: incident.id, on: db)
            incident.level = input.level
            let replan = PlanActivation.replan(
                tasks, plan, to: input.level, for: incident, departments: departments, at: now,
                utcOffsetMinutes: calendar.utcOffsetMinutes, makeId: Identifier.sequence(at: now))
            let before = Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for task in replan.tasks {
                if let old = before[task.id] {
                    try await save(task, from: old, on: db)
                } else {
                    try await incidents.insert([task], on: db)
                }
            }
            try await incidents.insert(replan.notices, on: db)
            try await incidents.insert(replan.requests, on: db)
            let wartime = try await enterWartime(incident, by: actor, at: now, on: db)
            let command = try await commandByLevel(&incident, by: actor, at: now, on: db)
            let cancelled = replan.tasks.filter { $0.status == .cancelled }.count
            let added = replan.tasks.filter { before[$0.id] == nil }.count
            return [
                entry(
                    incident, .level,
                    IncidentWording.levelChanged(
                        from: from, to: input.level, reason: reason, added: added, cancelled: cancelled),
                    by: actor, at: now)
            ] + command + wartime
        }
        return try await board(id, by: actor)
    }

    /// Puts the incident's area in wartime when its level calls for it and the area is not in
    /// wartime already; the log line saying so, or none.
    func enterWartime(_ incident: Incident, by actor: Principal, at now: Int64, on db: any SQLDatabase) async throws
        -> [IncidentLogEntry]
    {
        guard let level = incident.level,
            Wartime.triggered(by: level, threshold: platform.settings.wartimeFromLevel, drill: incident.drill),
            try await !Wartime.covers(incident.areaPath, wartimePaths: ModeService.wartimePaths(on: db)),
            let area = try await AreaRepository().find(id: incident.areaId, on: db)
        else { return [] }
        _ = try await ModeService(platform: platform).set(
            area, .wartime, incidentId: incident.id,
            reason: IncidentWording.wartimeReason(level: level, title: incident.title), by: actor,
            at: now, on: db)
        return [entry(incident, .decision, IncidentWording.wartime(area: area.name, level: level), by: actor, at: now)]
    }

    /// An owner's report on a task: a handler of one of its departments, or the command. A task
    /// done releases those waiting on it.
    public func report(_ input: IncidentTaskEventInput, task taskId: String, on id: String, by actor: Principal)
        async throws -> IncidentTask
    {
        var reported: IncidentTask?
        _ = try await change(
            id, "incident.task.\(input.event.rawValue)", by: actor, attachments: input.attachments ?? []
        ) { incident, db, now in
            guard incident.status == .active else {
                throw DomainError(.conflict, code: "not_active", "The incident is not active.")
            }
            var tasks = try await incidents.tasks(of: incident.id, on: db)
            guard let index = tasks.firstIndex(where: { $0.id == taskId }) else { throw DomainError.notFound("Task") }
            let owner = actor.departmentId.map { tasks[index].departmentIds.contains($0) } ?? false
            guard owner || actor.has(anyOf: Self.commanders.union([.dispatcher])) else {
                throw DomainError(
                    .forbidden, code: "not_task_owner", "Only the task's departments or the command report on it.")
            }
            let before = tasks
            try tasks[index].apply(input.event, reason: input.reason, at: now)
            let released = input.event == .complete ? PlanActivation.release(&tasks, at: now) : []
            for i in Set([index] + released) { try await save(tasks[i], from: before[i], on: db) }
            reported = tasks[index]
            let text = IncidentWording.task(
                tasks[index], input.event, released: released.map { tasks[$0].stepCode })
            return [entry(incident, .task, text, by: actor, at: now)]
        }
        return reported!
    }

    /// Assigns an available resource to the incident (against a request when named): the
    /// resource's status machine decides, in the same transaction as the log line.
    public func assign(_ input: IncidentResourceInput, on id: String, by actor: Principal) async throws
        -> EmergencyResource
    {
        var assigned: EmergencyResource?
        _ = try await change(id, "incident.resource", by: actor) { incident, db, now in
            guard incident.status == .active else {
                throw DomainError(.conflict, code: "not_active", "The incident is not active.")
            }
            if let requestId = input.requestId {
                guard try await incidents.requests(of: incident.id, on: db).contains(where: { $0.id == requestId })
                else {
                    throw DomainError.validation([
                        FieldIssue(
                            field: "requestId", code: "unknown_request", message: "No such request on this incident.")
                    ])
                }
                try await incidents.countAssigned(request: requestId, on: db)
            }
            let resource = try await EmergencyService(platform: platform).move(
                input.resourceId, ResourceEventInput(event: .assign, note: incident.number), by: actor, at: now, on: db)
            try await incidents.attach(
                resource: resource.id, to: incident.id, request: input.requestId, at: now, on: db)
            // A team's members went with it (`TeamStep`): they are on the incident too.
            if resource.kind == .team {
                for member in try await ResourceRepository().members(of: resource.id, on: db)
                where member.status == .assigned && member.updatedAt == now {
                    try await incidents.attach(resource: member.id, to: incident.id, request: nil, at: now, on: db)
                }
            }
            assigned = resource
            return [entry(incident, .resource, IncidentWording.assigned(resource), by: actor, at: now)]
        }
        return assigned!
    }

    /// The open tasks of the caller's department in active incidents in their scope.
    public func myTasks(by actor: Principal) async throws -> [IncidentTask] {
        guard let department = actor.departmentId else { return [] }
        return try await platform.pool.read {
            try await incidents.openTasks(department: department, scope: actor.listScope, on: $0)
        }
    }

    /// The level to activate and the log's note: a level the plan lacks is refused; one whose
    /// condition the facts do not meet needs the commander's reason.
    static func decide(_ wanted: ResponseLevel, _ reason: String?, plan: EmergencyPlan, incident: Incident) throws
        -> (level: PlanLevel, note: String)
    {
        guard let level = plan.level(wanted) else {
            throw DomainError.validation([
                FieldIssue(
                    field: "level", code: "unknown_level", message: "Plan \(plan.code) has no level \(wanted.rawValue)."
                )
            ])
        }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if plan.conditionHolds(level, facts: incident.facts) {
            return (level, IncidentWording.activationNote(reason, conditionMet: true))
        }
        guard !reason.isEmpty else {
            throw DomainError.validation([
                FieldIssue(
                    field: "reason", code: "condition_not_met",
                    message:
                        "The facts do not meet level \(wanted.rawValue)'s condition (\(level.condition)); give the reason for it."
                )
            ])
        }
        return (level, IncidentWording.activationNote(reason, conditionMet: false))
    }
}
