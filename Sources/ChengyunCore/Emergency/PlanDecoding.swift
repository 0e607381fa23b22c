/// Reading a plan file: optional lists may be left out, and a field a part of the plan does not
/// have is refused (a misspelt `dependsOn` would otherwise be dropped without a word, and the step
/// would run without waiting).
extension EmergencyPlan {
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(["code", "name", "incidentType", "version", "facts", "command", "levels"])
        let c = try decoder.container(keyedBy: PlanKey.self)
        self.init(
            code: try c.decode(String.self, forKey: "code"), name: try c.decode(String.self, forKey: "name"),
            incidentType: try c.decode(String.self, forKey: "incidentType"),
            version: try c.decodeIfPresent(Int.self, forKey: "version") ?? 0,
            facts: try c.decodeIfPresent([String].self, forKey: "facts") ?? [],
            command: try c.decode(CommandStructure.self, forKey: "command"),
            levels: try c.decode([PlanLevel].self, forKey: "levels"))
    }
}

extension CommandStructure {
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(["headquarters", "groups"])
        let c = try decoder.container(keyedBy: PlanKey.self)
        self.init(
            headquarters: try c.decode(String.self, forKey: "headquarters"),
            groups: try c.decodeIfPresent([PlanGroup].self, forKey: "groups") ?? [])
    }
}

extension PlanGroup {
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(["code", "name", "departments"])
        let c = try decoder.container(keyedBy: PlanKey.self)
        self.init(
            code: try c.decode(String.self, forKey: "code"), name: try c.decode(String.self, forKey: "name"),
            departments: try c.decode([String].self, forKey: "departments"))
    }
}

extension PlanLevel {
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(["level", "condition", "steps"])
        let c = try decoder.container(keyedBy: PlanKey.self)
        self.init(
            level: try c.decode(ResponseLevel.self, forKey: "level"),
            condition: try c.decode(String.self, forKey: "condition"),
            steps: try c.decode([PlanStep].self, forKey: "steps"))
    }
}

extension PlanStep {
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys([
            "code", "title", "ownerGroup", "ownerDepartment", "deadlineMinutes", "dependsOn", "resources",
            "notification",
        ])
        let c = try decoder.container(keyedBy: PlanKey.self)
        self.init(
            code: try c.decode(String.self, forKey: "code"), title: try c.decode(String.self, forKey: "title"),
            ownerGroup: try c.decodeIfPresent(String.self, forKey: "ownerGroup"),
            ownerDepartment: try c.decodeIfPresent(String.self, forKey: "ownerDepartment"),
            deadlineMinutes: try c.decode(Int.self, forKey: "deadlineMinutes"),
            dependsOn: try c.decodeIfPresent([String].self, forKey: "dependsOn") ?? [],
            resources: try c.decodeIfPresent([ResourceNeed].self, forKey: "resources") ?? [],
            notification: try c.decodeIfPresent(String.self, forKey: "notification"))
    }
}

extension ResourceNeed {
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(["kind", "capability", "quantity"])
        let c = try decoder.container(keyedBy: PlanKey.self)
        self.init(
            kind: try c.decode(ResourceKind.self, forKey: "kind"),
            capability: try c.decodeIfPresent(String.self, forKey: "capability"),
            quantity: try c.decode(Int.self, forKey: "quantity"))
    }
}

/// Any field name, for reading a plan part's keys as they are.
struct PlanKey: CodingKey, ExpressibleByStringLiteral {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(stringLiteral value: String) { stringValue = value }
}

extension Decoder {
    /// Throws `dataCorrupted` at the first key not in `known`.
    func refuseUnknownKeys(_ known: Set<String>) throws {
        let container = try container(keyedBy: PlanKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath + [PlanKey(stringValue: unknown)],
                    debugDescription: "\(unknown) is not a field here."))
        }
    }
}
