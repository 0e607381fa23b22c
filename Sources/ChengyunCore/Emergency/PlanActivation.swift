/// A department as a plan names it (by code), with what the store knows of it.
public struct PlanDepartment: Equatable, Sendable {
    public var code: String
    public var id: String
    public var name: String

    public init(code: String, id: String, name: String) {
        self.code = code
        self.id = id
        self.name = name
    }
}

/// A notice sent to a department when a plan puts a task on it (通知).
public struct IncidentNotice: Codable, Equatable, Sendable {
    public var id: String
    public var incidentId: String
    public var taskId: String
    public var departmentId: String
    public var text: String
    public var at: Int64

    public init(id: String, incidentId: String, taskId: String, departmentId: String, text: String, at: Int64) {
        self.id = id
        self.incidentId = incidentId
        self.taskId = taskId
        self.departmentId = departmentId
        self.text = text
        self.at = at
    }
}

/// Resources a task asked for (资源需求), and how many have been assigned to it so far.
public struct ResourceRequest: Codable, Equatable, Sendable {
    public var id: String
    public var incidentId: String
    public var taskId: String
    public var kind: ResourceKind
    public var capability: String?
    public var quantity: Int
    public var assigned: Int
    public var at: Int64

    public init(
        id: String, incidentId: String, taskId: String, kind: ResourceKind, capability: String?, quantity: Int,
        assigned: Int, at: Int64
    ) {
        self.id = id
        self.incidentId = incidentId
        self.taskId = taskId
        self.kind = kind
        self.capability = capability
        self.quantity = quantity
        self.assigned = assigned
        self.at = at
    }
}

/// What activating a plan (or re-planning it at another level) sets in motion, written by the
/// store in one transaction.
public struct Activation: Equatable, Sendable {
    /// New tasks and existing ones the re-plan changed.
    public var tasks: [IncidentTask] = []
    public var notices: [IncidentNotice] = []
    public var requests: [ResourceRequest] = []
}

/// Activation and re-planning, pure: a plan level's steps become an incident's tasks, each due
/// its minutes after the activation (or the level change), waiting until the steps it depends on
/// are done; every owner department gets a notice and every resource need becomes a request.
public enum PlanActivation {
    public static func activate(
        _ plan: EmergencyPlan, at level: ResponseLevel, for incident: Incident,
        departments: [String: PlanDepartment], at now: Int64, utcOffsetMinutes: Int = 480,
        makeId: () -> String
    ) -> Activation {
        replan(
            [], plan, to: level, for: incident, departments: departments, at: now,
            utcOffsetMinutes: utcOffsetMinutes, makeId: makeId)
    }

    /// Re-plans `tasks` at `level`: tasks not yet taken up (waiting or assigned) whose step the
    /// level lacks are cancelled, those it keeps take its owner, dependencies and a deadline
    /// counted from now; tasks already taken up stay as they are; the level's steps that have no
    /// live task become new tasks. Then every untouched task is assigned or waits by its
    /// dependencies.
    public static func replan(
        _ tasks: [IncidentTask], _ plan: EmergencyPlan, to level: ResponseLevel, for incident: Incident,
        departments: [String: PlanDepartment], at now: Int64, utcOffsetMinutes: Int = 480,
        makeId: () -> String
    ) -> Activation {
        let steps = plan.level(level)?.steps ?? []
        let byCode = Dictionary(steps.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var all = tasks
        var changed = Set<Int>()
        var outcome = Activation()
        for index in all.indices where all[index].status.isUntouched {
            if let step = byCode[all[index].stepCode] {
                let owner = Self.owner(of: step, in: plan, departments: departments)
                all[index].title = step.title
                all[index].level = level
                all[index].ownerGroup = step.ownerGroup
                all[index].ownerName = owner.name
                all[index].departmentIds = owner.departmentIds
                all[index].dependsOn = step.dependsOn
                all[index].deadline = now + Int64(step.deadlineMinutes) * 60_000
            } else {
                all[index].status = .cancelled
            }
            all[index].updatedAt = now
            changed.insert(index)
        }
        let live = Set(all.filter { $0.status != .cancelled }.map(\.stepCode))
        for step in steps where !live.contains(step.code) {
            let owner = Self.owner(of: step, in: plan, departments: departments)
            let task = IncidentTask(
                id: makeId(), incidentId: incident.id, stepCode: step.code, title: step.title, level: level,
                ownerGroup: step.ownerGroup, ownerName: owner.name, departmentIds: owner.departmentIds,
                dependsOn: step.dependsOn, status: .waiting, deadline: now + Int64(step.deadlineMinutes) * 60_000,
                createdAt: now, updatedAt: now)
            changed.insert(all.count)
            all.append(task)
            let fields = [
                "incident": incident.title, "number": incident.number, "level": level.numeral,
                "address": incident.address ?? "", "step": step.title, "owner": owner.name,
                "deadline": Instant.format(task.deadline, utcOffsetMinutes: utcOffsetMinutes),
                "headquarters": plan.command.headquarters,
            ]
            let text = LetterTemplate(text: step.notification ?? PlanStep.standardNotice).render(fields)
            for departmentId in owner.departmentIds {
                outcome.notices.append(
                    IncidentNotice(
                        id: makeId(), incidentId: incident.id, taskId: task.id, departmentId: departmentId, text: text,
                        at: now))
            }
            for need in step.resources {
                outcome.requests.append(
                    ResourceRequest(
                        id: makeId(), incidentId: incident.id, taskId: task.id, kind: need.kind,
                        capability: need.capability, quantity: need.quantity, assigned: 0, at: now))
            }
        }
        changed.formUnion(release(&all, at: now))
        outcome.tasks = changed.sorted().map { all[$0] }
        return outcome
    }

    /// Assigns each untouched task whose dependencies are all done, and puts back to waiting one
    /// whose dependencies are not (after a re-plan added some). Returns the indices it changed.
    @discardableResult
    public static func release(_ tasks: inout [IncidentTask], at now: Int64) -> [Int] {
        let done = Set(tasks.filter { $0.status == .done }.map(\.stepCode))
        let live = Set(tasks.filter { $0.status != .cancelled }.map(\.stepCode))
        var changed: [Int] = []
        for index in tasks.indices where tasks[index].status.isUntouched {
            // A dependency with no live task (its step left the plan) no longer holds anything up.
            let ready = tasks[index].dependsOn.allSatisfy { done.contains($0) || !live.contains($0) }
            let status: IncidentTaskStatus = ready ? .assigned : .waiting
            guard status != tasks[index].status else { continue }
            tasks[index].status = status
            tasks[index].assignedAt = ready ? now : nil
            tasks[index].updatedAt = now
            changed.append(index)
        }
        return changed
    }

    static func owner(of step: PlanStep, in plan: EmergencyPlan, departments: [String: PlanDepartment]) -> (
        name: String, departmentIds: [String]
    ) {
        if let code = step.ownerGroup, let group = plan.command.groups.first(where: { $0.code == code }) {
            return (group.name, group.departments.compactMap { departments[$0]?.id })
        }
        let department = step.ownerDepartment.flatMap { departments[$0] }
        return (department?.name ?? step.ownerDepartment ?? "", department.map { [$0.id] } ?? [])
    }
}
