import Foundation

/// The checks a plan passes before it is saved (and again, as a whole file, on import): codes and
/// names well formed, every condition a formula over the declared facts, every owner a group of
/// the plan or a department that exists, every dependency a step of the same level with no cycle
/// among them, and every notice's placeholders known.
extension EmergencyPlan {
    static let codePattern = #"^[a-z0-9][a-z0-9_.-]{0,39}$"#
    static let maxSteps = 200

    /// Every problem, each naming its field (e.g. `levels[1].steps[3].dependsOn`).
    public func issues(departments: Set<String>) -> [FieldIssue] {
        var v = Validator()
        v.check(Self.matches(code), "code", "invalid_value", "1 to 40 lower-case letters, digits, '.', '_' or '-'.")
        v.checkName(name)
        v.check(Self.matches(incidentType), "incidentType", "invalid_value", "A code such as gas_leak.")
        for (i, fact) in facts.enumerated() {
            v.check(
                fact.isLowerCode, "facts[\(i)]",
                "invalid_value", "A fact name in lower case, e.g. casualties.")
        }
        v.checkName(command.headquarters, field: "command.headquarters")
        var groups = Set<String>()
        for (i, group) in command.groups.enumerated() {
            let field = "command.groups[\(i)]"
            v.check(Self.matches(group.code), field + ".code", "invalid_value", "A code such as rescue.")
            v.check(groups.insert(group.code).inserted, field + ".code", "duplicate_code", "Group codes are unique.")
            v.checkName(group.name, field: field + ".name")
            v.check(!group.departments.isEmpty, field + ".departments", "required", "At least one department.")
            for (j, department) in group.departments.enumerated() where !departments.contains(department) {
                v.add(unknownDepartment(department, field: field + ".departments[\(j)]"))
            }
        }
        v.check(!levels.isEmpty, "levels", "required", "At least one response level.")
        var seen = Set<ResponseLevel>()
        for (i, level) in levels.enumerated() {
            let field = "levels[\(i)]"
            v.check(seen.insert(level.level).inserted, field + ".level", "duplicate_level", "Each level once.")
            check(level, field: field, groups: groups, departments: departments, into: &v)
        }
        return v.issues
    }

    /// Throws `validation_failed` with every issue.
    public func check(departments: Set<String>) throws {
        let issues = issues(departments: departments)
        if !issues.isEmpty { throw DomainError.validation(issues) }
    }

    /// The most severe level whose condition holds for `facts` (a missing fact makes a condition
    /// that reads it unknown, which is not true), or nil.
    public func suggestedLevel(facts: [String: Double]) -> ResponseLevel? {
        levels.sorted { $0.level > $1.level }.first { conditionHolds($0, facts: facts) }?.level
    }

    /// Whether a level's condition holds for `facts`.
    public func conditionHolds(_ level: PlanLevel, facts: [String: Double]) -> Bool {
        guard let formula = try? Formula(level.condition) else { return false }
        let declared = Set(self.facts)
        let value = try? formula.evaluate { name in
            guard declared.contains(name) else { return .unknown }
            return facts[name].map { .value($0) } ?? .missing
        }
        return (value ?? nil).map { $0 != 0 } ?? false
    }

    private func check(
        _ level: PlanLevel, field: String, groups: Set<String>, departments: Set<String>, into v: inout Validator
    ) {
        do {
            let formula = try Formula(level.condition)
            for name in formula.references.sorted() where !facts.contains(name) {
                v.add(
                    FieldIssue(
                        field: field + ".condition", code: "unknown_fact",
                        message: "\(name) is not one of the plan's facts (\(facts.joined(separator: ", ")))."))
            }
        } catch {
            v.add(FieldIssue(field: field + ".condition", code: "invalid_formula", message: error.description))
        }
        v.check(
            (1...Self.maxSteps).contains(level.steps.count), field + ".steps", "invalid_value",
            "1 to \(Self.maxSteps) steps.")
        var codes = Set<String>()
        for (j, step) in level.steps.enumerated() {
            let at = field + ".steps[\(j)]"
            v.check(Self.matches(step.code), at + ".code", "invalid_value", "A code such as s1 or evacuate.")
            v.check(
                codes.insert(step.code).inserted, at + ".code", "duplicate_code", "Step codes are unique per level.")
            v.checkName(step.title, field: at + ".title", max: 200)
            switch (step.ownerGroup, step.ownerDepartment) {
            case (let group?, nil):
                v.check(groups.contains(group), at + ".ownerGroup", "unknown_group", "No group \(group) in the plan.")
            case (nil, let department?):
                if !departments.contains(department) {
                    v.add(unknownDepartment(department, field: at + ".ownerDepartment"))
                }
            default:
                v.add(
                    FieldIssue(
                        field: at + ".ownerGroup", code: "invalid_owner",
                        message: "A group or a department, one of them."))
            }
            v.check(
                (1...10_080).contains(step.deadlineMinutes), at + ".deadlineMinutes", "invalid_value",
                "1 minute to 7 days after activation.")
            for (k, need) in step.resources.enumerated() {
                v.check(
                    (1...1_000).contains(need.quantity), at + ".resources[\(k)].quantity", "invalid_value",
                    "1 to 1,000.")
            }
            if let notice = step.notification {
                do { _ = try LetterTemplate(text: notice).fields(allowed: PlanStep.placeholders) } catch let e
                    as DomainError
                {
                    for issue in e.issues {
                        v.add(FieldIssue(field: at + ".notification", code: issue.code, message: issue.message))
                    }
                } catch {}
            }
        }
        for (j, step) in level.steps.enumerated() {
            for (k, dependency) in step.dependsOn.enumerated()
            where !codes.contains(dependency) || dependency == step.code {
                v.add(
                    FieldIssue(
                        field: field + ".steps[\(j)].dependsOn[\(k)]", code: "unknown_step",
                        message: "\(dependency) is not another step of this level."))
            }
        }
        if let cycle = Self.cycle(in: level.steps) {
            v.add(
                FieldIssue(
                    field: field + ".steps", code: "dependency_cycle",
                    message: "The steps wait on each other: \(cycle.joined(separator: " → "))."))
        }
    }

    /// A dependency cycle among `steps`, as step codes from its first step back to it, or nil.
    public static func cycle(in steps: [PlanStep]) -> [String]? {
        let edges = Dictionary(steps.map { ($0.code, $0.dependsOn) }, uniquingKeysWith: { a, _ in a })
        var state: [String: Int] = [:] // 1 on the path, 2 finished
        var path: [String] = []
        func visit(_ code: String) -> [String]? {
            if state[code] == 2 { return nil }
            if state[code] == 1, let start = path.firstIndex(of: code) { return Array(path[start...]) + [code] }
            state[code] = 1
            path.append(code)
            for next in edges[code] ?? [] where edges[next] != nil && next != code {
                if let found = visit(next) { return found }
            }
            path.removeLast()
            state[code] = 2
            return nil
        }
        for step in steps { if let found = visit(step.code) { return found } }
        return nil
    }

    private static func matches(_ text: String) -> Bool {
        text.range(of: codePattern, options: .regularExpression) != nil
    }

    private func unknownDepartment(_ code: String, field: String) -> FieldIssue {
        FieldIssue(field: field, code: "unknown_department", message: "No department with code \(code).")
    }
}
