/// An emergency plan (应急预案) for one incident type, as data: the facts its activation
/// conditions read, the command structure (指挥部 and its working groups 工作组), and per response
/// level the condition and the steps. The same document is the import/export file; a new import
/// of a code becomes its next version, and incidents keep the version they activated.
public struct EmergencyPlan: Codable, Equatable, Sendable {
    /// e.g. `gas-leak`.
    public var code: String
    public var name: String
    /// The incident type it answers, e.g. `gas_leak`, `urban_flood`, `fire`.
    public var incidentType: String
    /// Set by the store: 1 for the first import of a code, one more for each after.
    public var version: Int
    /// The incident facts (numbers reported on the incident) the levels' conditions may read,
    /// e.g. `casualties`, `evacuated`, `leak_rate`.
    public var facts: [String]
    public var command: CommandStructure
    /// Ⅰ to Ⅳ, each at most once.
    public var levels: [PlanLevel]

    public init(
        code: String, name: String, incidentType: String, version: Int = 0, facts: [String],
        command: CommandStructure, levels: [PlanLevel]
    ) {
        self.code = code
        self.name = name
        self.incidentType = incidentType
        self.version = version
        self.facts = facts
        self.command = command
        self.levels = levels
    }

    public func level(_ level: ResponseLevel) -> PlanLevel? { levels.first { $0.level == level } }
}

/// The command post a plan sets up (指挥部) and its working groups.
public struct CommandStructure: Codable, Equatable, Sendable {
    /// e.g. 燃气泄漏事故现场指挥部.
    public var headquarters: String
    public var groups: [PlanGroup]

    public init(headquarters: String, groups: [PlanGroup]) {
        self.headquarters = headquarters
        self.groups = groups
    }
}

/// A working group (工作组) and its member departments, by department code; the lead department
/// (牵头单位) first.
public struct PlanGroup: Codable, Equatable, Sendable {
    public var code: String
    public var name: String
    public var departments: [String]

    public init(code: String, name: String, departments: [String]) {
        self.code = code
        self.name = name
        self.departments = departments
    }
}

/// One response level of a plan: when it applies and what it sets in motion.
public struct PlanLevel: Codable, Equatable, Sendable {
    public var level: ResponseLevel
    /// A formula over the incident's facts, true (non-zero) when the level applies, e.g.
    /// `casualties >= 3 or evacuated >= 1000`.
    public var condition: String
    public var steps: [PlanStep]

    public init(level: ResponseLevel, condition: String, steps: [PlanStep]) {
        self.level = level
        self.condition = condition
        self.steps = steps
    }
}

/// A step of a level: who owns it (a working group of the plan, or one department by code), its
/// deadline in minutes after activation, the steps it waits on, the resources it needs, and the
/// notice its owners receive.
public struct PlanStep: Codable, Equatable, Sendable {
    public var code: String
    public var title: String
    public var ownerGroup: String?
    public var ownerDepartment: String?
    public var deadlineMinutes: Int
    public var dependsOn: [String]
    public var resources: [ResourceNeed]
    /// A template with `{placeholder}` fields (see `PlanStep.placeholders`); none sends the
    /// standard notice.
    public var notification: String?

    public init(
        code: String, title: String, ownerGroup: String? = nil, ownerDepartment: String? = nil,
        deadlineMinutes: Int, dependsOn: [String] = [], resources: [ResourceNeed] = [], notification: String? = nil
    ) {
        self.code = code
        self.title = title
        self.ownerGroup = ownerGroup
        self.ownerDepartment = ownerDepartment
        self.deadlineMinutes = deadlineMinutes
        self.dependsOn = dependsOn
        self.resources = resources
        self.notification = notification
    }

    /// The fields a step's notice may use.
    public static let placeholders: Set<String> = [
        "incident", "number", "level", "address", "step", "owner", "deadline", "headquarters",
    ]

    /// The notice when a step names none.
    public static let standardNotice =
        "【应急通知】{incident}（{number}）已启动{level}级响应，{headquarters}请{owner}于{deadline}前完成：{step}。"
}

/// Resources a step asks for: a kind, optionally a capability, and how many.
public struct ResourceNeed: Codable, Equatable, Sendable {
    public var kind: ResourceKind
    public var capability: String?
    public var quantity: Int

    public init(kind: ResourceKind, capability: String? = nil, quantity: Int) {
        self.kind = kind
        self.capability = capability
        self.quantity = quantity
    }
}
