import ChengyunCore
import SQLKit

/// Alarm rules: the ones each device kind ships with (installed on first use, then editable)
/// and the ones administrators write.
public struct AlarmRuleService: Sendable {
    let platform: Platform
    let rules = AlarmRuleRepository()

    public func list(kindCode: String?) async throws -> [AlarmRule] {
        try await installDefaults()
        return try await platform.pool.read { try await rules.all(on: $0) }.filter {
            kindCode == nil || $0.kindCode == kindCode
        }
    }

    public func rule(id: String) async throws -> AlarmRule {
        try await installDefaults()
        guard let rule = try await platform.pool.read({ try await rules.find(id: id, on: $0) }) else {
            throw DomainError.notFound("Alarm rule")
        }
        return rule
    }

    public func create(_ input: AlarmRuleInput, by actor: Principal) async throws -> AlarmRule {
        try await installDefaults()
        let rule = try await platform.write(
            actor, "alarm_rule.create", target: "alarm_rule", summary: { ($0.id, $0.name) }
        ) { db in
            let now = platform.now()
            let rule = AlarmRule(
                id: Identifier.make(at: now), name: input.name, kindCode: input.kindCode, deviceId: input.deviceId,
                areaPath: nil, condition: input.condition, severity: input.severity ?? .yellow,
                matterCode: input.matterCode, caseFields: input.caseFields, enabled: input.enabled ?? true,
                updatedAt: now)
            let checked = try await validate(rule, areaId: input.areaId, by: actor, on: db)
            try await rules.insert(checked, on: db)
            try await EventOutbox().signal(.monitoringChanged, at: now, on: db)
            return checked
        }
        platform.monitoring.invalidate()
        return rule
    }

    /// Replaces a rule's definition; its state on every device starts afresh (open alarms stay
    /// open until the new condition clears them or someone clears them by hand).
    public func update(id: String, _ input: AlarmRuleInput, by actor: Principal) async throws -> AlarmRule {
        try await installDefaults()
        let rule = try await platform.monitoring.write(
            platform, actor, "alarm_rule.update", target: "alarm_rule",
            summary: { (r: AlarmRule) in (r.id, r.name) }
        ) { db, memory in
            guard let existing = try await rules.find(id: id, on: db) else { throw DomainError.notFound("Alarm rule") }
            guard existing.kindCode == input.kindCode else {
                throw DomainError.validation([
                    FieldIssue(field: "kindCode", code: "invalid_value", message: "A rule's device kind cannot change.")
                ])
            }
            var rule = existing
            rule.name = input.name
            rule.deviceId = input.deviceId
            rule.condition = input.condition
            rule.severity = input.severity ?? existing.severity
            rule.matterCode = input.matterCode
            rule.enabled = input.enabled ?? existing.enabled
            rule.updatedAt = platform.now()
            rule.caseFields = input.caseFields
            rule.areaPath = nil
            let checked = try await validate(rule, areaId: input.areaId, by: actor, on: db)
            try await rules.update(checked, on: db)
            try await rules.deleteStates(ruleId: id, on: db)
            memory.engine.reset(ruleId: id)
            memory.engine.markSaved()
            try await EventOutbox().signal(.monitoringChanged, at: rule.updatedAt, on: db)
            return checked
        }
        platform.monitoring.invalidate()
        return rule
    }

    private func validate(_ rule: AlarmRule, areaId: String?, by actor: Principal, on db: any SQLDatabase) async throws
        -> AlarmRule
    {
        var rule = rule
        var validator = Validator()
        validator.checkName(rule.name, field: "name", max: 100)
        let kind = try await DeviceService.kinds(on: db).first { $0.code == rule.kindCode }
        validator.check(kind != nil, "kindCode", "unknown_kind", "No device kind has this code.")
        if let kind {
            rule.condition.validate(
                field: "condition", metrics: Set(kind.metrics.map(\.key)), tracksPosition: kind.tracksPosition,
                into: &validator)
        }
        if let deviceId = rule.deviceId {
            let device = try await DeviceRepository().find(id: deviceId, on: db)
            validator.check(
                device?.kindCode == rule.kindCode, "deviceId", .unknownDevice, "No device of this kind has this id.")
            if let device { try actor.requireScope(device.areaPath) }
        }
        if let areaId {
            let area = try await AreaRepository().find(id: areaId, on: db)
            validator.check(area != nil, "areaId", "unknown_area", "No area has this id.")
            if let area {
                try actor.requireScope(area.path)
                rule.areaPath = area.path
            }
        }
        if let matterCode = rule.matterCode {
            let matter = try? await platform.cases.resolveMatter(id: nil, code: matterCode, on: db)
            validator.check(
                matter != nil, "matterCode", "unknown_matter", "No active matter has this code (e.g. C0101).")
            for field in matter?.customFields ?? [] where field.required {
                validator.check(
                    !(rule.caseFields?[field.key] ?? "").isEmpty, "caseFields.\(field.key)", "required",
                    "\(field.label) is required for \(matter?.name ?? matterCode): give the value the rule's cases carry."
                )
            }
            for (key, value) in rule.caseFields ?? [:] {
                guard let field = matter?.customFields.first(where: { $0.key == key }) else {
                    validator.add(
                        FieldIssue(
                            field: "caseFields.\(key)", code: "unknown_field",
                            message: "The matter has no field \(key)."))
                    continue
                }
                if field.datatype == .singleValueList {
                    validator.check(
                        field.values.contains { $0.key == value }, "caseFields.\(key)", "invalid_value",
                        "Choose one of: \(field.values.map(\.key).joined(separator: ", ")).")
                }
            }
        }
        try validator.finish()
        return rule
    }

    /// Installs the rules the device kinds ship with that are not installed yet.
    public func installDefaults() async throws {
        if try await installMissingDefaults() { platform.monitoring.invalidate() }
    }

    func installMissingDefaults() async throws -> Bool {
        try await platform.pool.transaction { try await installMissingDefaults(on: $0) }
    }

    func installMissingDefaults(on db: any SQLDatabase) async throws -> Bool {
        let now = platform.now()
        let installed = Set(try await rules.all(on: db).map(\.id))
        let missing = try await DeviceService.kinds(on: db).flatMap { kind in
            kind.defaultRules.map { $0.rule(kind: kind.code, at: now) }
        }
        .filter { !installed.contains($0.id) }
        let written = try await rules.insertMissing(missing, on: db)
        guard written > 0 else { return false }
        try await platform.auditLog.append(
            .init(
                actor: .system, action: "alarm_rule.install_defaults", targetType: "alarm_rule",
                targetId: "defaults", summary: "\(written) rules"), at: now, on: db)
        try await EventOutbox().signal(.monitoringChanged, at: now, on: db)
        return true
    }
}

/// A rule to create or the new definition of one.
public struct AlarmRuleInput: StrictInput {
    public var name: String
    public var kindCode: String
    public var deviceId: String?
    public var areaId: String?
    public var condition: RuleCondition
    public var severity: AlarmSeverity?
    public var matterCode: String?
    /// Values for the matter's custom fields on the cases the rule opens.
    public var caseFields: [String: String]?
    public var enabled: Bool?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kindCode, deviceId, areaId, condition, severity, matterCode, caseFields, enabled
    }
    public typealias Fields = CodingKeys

    public init(
        name: String, kindCode: String, deviceId: String? = nil, areaId: String? = nil, condition: RuleCondition,
        severity: AlarmSeverity? = nil, matterCode: String? = nil, caseFields: [String: String]? = nil,
        enabled: Bool? = nil
    ) {
        self.caseFields = caseFields
        self.name = name
        self.kindCode = kindCode
        self.deviceId = deviceId
        self.areaId = areaId
        self.condition = condition
        self.severity = severity
        self.matterCode = matterCode
        self.enabled = enabled
    }
}
