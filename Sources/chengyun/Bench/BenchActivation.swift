import ChengyunCore
import ChengyunStore
import Foundation
import SQLKit

/// Activating a 50-step plan on the embedded default: the platform's activation (plan and
/// departments loaded and checked, tasks, notices, resource requests, the log line, the audit
/// entry, then the command board read back) against the same rows written by hand in one
/// transaction, for incidents opened alike in the same run. With `--nodes N` the incidents are
/// shared out among the nodes, each node activating its share at the same time as the others.
enum BenchActivation {
    static let steps = 50

    static func measure(activations: Int, target: BenchTarget) async throws -> [String: Any] {
        let scratch = target.scratch
        defer { scratch.remove() }
        let (pool, platform, now) = try await scratch.benchCity()
        return try await scratch.closing(pool) { () async throws -> [String: Any] in
            let city = try await BenchCity.city(platform)
            var departments: [String: PlanDepartment] = [:]
            for n in 1...10 {
                let department = try await platform.organisation.createDepartment(
                    NewDepartment(
                        code: "EM\(n)", name: "应急单位 \(n)", kind: .emergency, areaId: city.id, phone: nil), by: .system)
                departments[department.code] = PlanDepartment(
                    code: department.code, id: department.id, name: department.name)
            }
            let plan = try await platform.plans.importPlan(Self.plan(), by: .system)
            let commander = Principal(
                kind: .staff, id: "bench-commander", name: "指挥长", roles: [.supervisor],
                scope: AreaScope(areaId: city.id, path: city.path))
            let departmentsByCode = departments
            let shares = try await BenchNodes.with(
                first: platform, count: target.nodes, scratch: scratch, settings: scratch.settings, port: nil
            ) { nodes in
                try await nodes.onEvery { index, node in
                    var platformTimes = Latencies()
                    var baselineTimes = Latencies()
                    for n in stride(from: index, to: activations, by: nodes.count) {
                        let report = NewIncident(title: "演练 \(n)", incidentType: "bench", lon: 120.605, lat: 31.305)
                        let incident = try await node.incidents.open(report, by: commander)
                        let board = try await BenchTiming.timed(&platformTimes) {
                            try await node.incidents.activate(
                                PlanActivationInput(plan: plan.code, level: .iii), on: incident.id, by: commander)
                        }
                        guard board.tasks.count == steps, board.notices.count >= steps else {
                            throw BenchFailure(
                                "an activation made \(board.tasks.count) tasks, \(board.notices.count) notices")
                        }
                        let other = try await node.incidents.open(report, by: commander)
                        try await BenchTiming.timed(&baselineTimes) {
                            try await handWritten(other, plan, departmentsByCode, at: now, on: node.pool)
                        }
                    }
                    return (platformTimes, baselineTimes)
                }
            }
            var platformTimes = Latencies()
            var baselineTimes = Latencies()
            for (mine, baseline) in shares {
                platformTimes.merge(mine)
                baselineTimes.merge(baseline)
            }
            func ms(_ l: Latencies, _ p: Double) -> Double { BenchResult.rounded(l.milliseconds(at: p), 3) }
            return [
                "activation_steps": steps, "activations": platformTimes.count,
                "activation_p50_ms": ms(platformTimes, 50), "activation_p95_ms": ms(platformTimes, 95),
                "activation_baseline_p95_ms": ms(baselineTimes, 95),
            ]
        }
    }

    /// The same rows an activation writes — the incident's new state, tasks, notices, requests, the
    /// log line and the hash-chained audit row — each by its own INSERT in one transaction.
    static func handWritten(
        _ incident: Incident, _ plan: EmergencyPlan, _ departments: [String: PlanDepartment], at now: Int64,
        on pool: any DatabasePool
    ) async throws {
        let activation = PlanActivation.activate(
            plan, at: .iii, for: incident, departments: departments, at: now, makeId: { Identifier.make(at: now) })
        try await pool.transaction { db in
            try await db.raw(
                """
                UPDATE incidents SET status = 'active', level = 'III', plan_code = \(bind: plan.code),
                    plan_version = \(bind: plan.version), activated_at = \(bind: now), updated_at = \(bind: now + 1)
                WHERE id = \(bind: incident.id)
                """
            ).run()
            for t in activation.tasks {
                try await db.raw(
                    """
                    INSERT INTO incident_tasks (id, incident_id, step_code, title, level, owner_group, owner_name,
                        department_ids, depends_on, status, deadline, created_at, assigned_at, updated_at)
                    VALUES (\(bind: t.id), \(bind: t.incidentId), \(bind: t.stepCode), \(bind: t.title), 'III',
                        \(bind: t.ownerGroup), \(bind: t.ownerName), \(bind: "[\"" + t.departmentIds.joined(separator: "\",\"") + "\"]"),
                        \(bind: "[\"" + t.dependsOn.joined(separator: "\",\"") + "\"]"), \(bind: t.status.rawValue),
                        \(bind: t.deadline), \(bind: t.createdAt), \(bind: t.assignedAt), \(bind: t.updatedAt))
                    """
                ).run()
            }
            for n in activation.notices {
                try await db.raw(
                    """
                    INSERT INTO incident_notices (id, incident_id, task_id, department_id, text, at)
                    VALUES (\(bind: n.id), \(bind: n.incidentId), \(bind: n.taskId), \(bind: n.departmentId), \(bind: n.text), \(bind: n.at))
                    """
                ).run()
            }
            for r in activation.requests {
                try await db.raw(
                    """
                    INSERT INTO incident_resource_requests (id, incident_id, task_id, kind, capability, quantity, assigned, at)
                    VALUES (\(bind: r.id), \(bind: r.incidentId), \(bind: r.taskId), \(bind: r.kind.rawValue),
                        \(bind: r.capability), \(bind: r.quantity), 0, \(bind: r.at))
                    """
                ).run()
            }
            try await db.raw(
                """
                INSERT INTO incident_log (id, incident_id, seq, kind, text, actor_id, actor_name, at)
                SELECT \(bind: Identifier.make(at: now)), \(bind: incident.id), COALESCE(MAX(seq), 0) + 1, 'level',
                    '启动Ⅲ级响应', 'bench', 'bench', \(bind: now)
                FROM incident_log WHERE incident_id = \(bind: incident.id)
                """
            ).run()
            _ = try await AuditRepository().append(
                .init(
                    actor: .system, action: "incident.activate", targetType: "incident", targetId: incident.id,
                    summary: "\(incident.number) 启动Ⅲ级响应"), at: now, on: db)
        }
    }

    /// Ten departments in five working groups; step n waits on step n−1 every third step and on
    /// step n−5 every seventh, owned in turn by a group or a department, every other one asking
    /// for a vehicle.
    static func plan() -> EmergencyPlan {
        let groups = (0..<5).map { g in
            PlanGroup(code: "g\(g)", name: "工作组 \(g)", departments: ["EM\(2 * g + 1)", "EM\(2 * g + 2)"])
        }
        let steps = (1...steps).map { n in
            var dependsOn: [String] = []
            if n % 3 == 0 { dependsOn.append(String(format: "s%02d", n - 1)) }
            if n % 7 == 0, n > 5 { dependsOn.append(String(format: "s%02d", n - 5)) }
            return PlanStep(
                code: String(format: "s%02d", n), title: "步骤 \(n)", ownerGroup: n % 2 == 0 ? "g\(n % 5)" : nil,
                ownerDepartment: n % 2 == 0 ? nil : "EM\(n % 10 + 1)", deadlineMinutes: 10 + n, dependsOn: dependsOn,
                resources: n % 2 == 0 ? [ResourceNeed(kind: .vehicle, capability: "fire", quantity: 2)] : [])
        }
        return EmergencyPlan(
            code: "bench-plan", name: "基准预案", incidentType: "bench", facts: ["casualties"],
            command: CommandStructure(headquarters: "基准指挥部", groups: groups),
            levels: [PlanLevel(level: .iii, condition: "1", steps: steps)])
    }
}
