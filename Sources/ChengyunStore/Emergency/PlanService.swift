import ChengyunCore
import Foundation
import SQLKit

/// Emergency plans (应急预案): administrators import a plan file, which is checked as a whole and
/// saved as the next version of its code; incidents activate a version and keep it, so editing a
/// plan never changes a response under way. Export is the same file.
public struct PlanService: Sendable {
    let platform: Platform
    let plans = PlanRepository()

    public init(platform: Platform) { self.platform = platform }

    public func importPlan(_ input: EmergencyPlan, by actor: Principal) async throws -> EmergencyPlan {
        let now = platform.now()
        return try await platform.write(
            actor, "emergency_plan.import", target: "emergency_plan",
            summary: { (p: EmergencyPlan) in (p.code, "\(p.code) v\(p.version) \(p.name)") }
        ) { db in
            try await Self.check(input, on: db)
            var plan = input
            plan.version = try await plans.latestVersion(plan.code, on: db) + 1
            try await plans.insert(plan, by: actor.id, at: now, on: db)
            return plan
        }
    }

    /// A version of a plan (the latest unless one is named).
    public func plan(_ code: String, version: Int? = nil) async throws -> EmergencyPlan {
        try await platform.pool.read { try await plan(code, version: version, on: $0) }
    }

    func plan(_ code: String, version: Int?, on db: any SQLDatabase) async throws -> EmergencyPlan {
        guard let plan = try await plans.find(code, version: version, on: db) else {
            throw DomainError.notFound("Plan \(code)" + (version.map { " version \($0)" } ?? ""))
        }
        return plan
    }

    /// The latest version of every plan.
    public func list() async throws -> [PlanSummary] { try await platform.pool.read { try await plans.latest(on: $0) } }

    /// Every version of a plan, newest first.
    public func versions(_ code: String) async throws -> [PlanSummary] {
        let found = try await platform.pool.read { try await plans.versions(code, on: $0) }
        guard !found.isEmpty else { throw DomainError.notFound("Plan \(code)") }
        return found
    }

    /// The plan's checks against the departments that exist now.
    static func check(_ plan: EmergencyPlan, on db: any SQLDatabase) async throws {
        try plan.check(departments: Set(try await departments(of: plan, on: db).keys))
    }

    /// The departments a plan names, by code, that exist and are active.
    static func departments(of plan: EmergencyPlan, on db: any SQLDatabase) async throws -> [String: PlanDepartment] {
        let codes = Set(
            plan.command.groups.flatMap(\.departments) + plan.levels.flatMap { $0.steps.compactMap(\.ownerDepartment) })
        var found: [String: PlanDepartment] = [:]
        for department in try await DepartmentRepository().find(codes: codes.sorted(), on: db) where department.active {
            found[department.code] = PlanDepartment(code: department.code, id: department.id, name: department.name)
        }
        return found
    }
}
