import ChengyunCore
import Foundation
import SQLKit

/// Alarm rules, and the state of each rule on each device (see `RuleEngine`).
public struct AlarmRuleRepository: Sendable {
    public init() {}

    struct Row: Codable {
        var id: String, name: String, kindCode: String, deviceId: String?, areaPath: String?, condition: String
        var severity: AlarmSeverity, matterCode: String?, caseFields: String?, enabled: Int, builtIn: Int,
            updatedAt: Int64

        init(_ r: AlarmRule) throws {
            id = r.id
            name = r.name
            kindCode = r.kindCode
            deviceId = r.deviceId
            areaPath = r.areaPath
            condition = String(decoding: try JSONEncoder().encode(r.condition), as: UTF8.self)
            severity = r.severity
            matterCode = r.matterCode
            enabled = r.enabled ? 1 : 0
            builtIn = r.builtIn ? 1 : 0
            updatedAt = r.updatedAt
            caseFields = try r.caseFields.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        }

        func rule() throws -> AlarmRule {
            AlarmRule(
                id: id, name: name, kindCode: kindCode, deviceId: deviceId, areaPath: areaPath,
                condition: try JSONDecoder().decode(RuleCondition.self, from: Data(condition.utf8)), severity: severity,
                matterCode: matterCode,
                caseFields: try caseFields.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) },
                enabled: enabled != 0, builtIn: builtIn != 0, updatedAt: updatedAt)
        }
    }

    func all(on db: any SQLDatabase) async throws -> [AlarmRule] {
        try await db.select().column("*").from("alarm_rules").orderBy("id").all(decoding: Row.self, with: rowDecoder)
            .map { try $0.rule() }
    }

    func find(id: String, on db: any SQLDatabase) async throws -> AlarmRule? {
        try await db.select().column("*").from("alarm_rules").where("id", .equal, id).first(
            decoding: Row.self, with: rowDecoder)?.rule()
    }

    func insert(_ rule: AlarmRule, on db: any SQLDatabase) async throws {
        try await db.insert(into: "alarm_rules").model(try Row(rule), with: rowEncoder).run()
    }

    /// Inserts the rules whose ids are not taken yet and answers how many it wrote. Two nodes
    /// starting together may both find a built-in rule missing; the second insert skips it.
    func insertMissing(_ rules: [AlarmRule], on db: any SQLDatabase) async throws -> Int {
        guard !rules.isEmpty else { return 0 }
        return try await db.insert(into: "alarm_rules").models(try rules.map(Row.init), with: rowEncoder)
            .ignoringConflicts(with: ["id"]).returning("id").all().count
    }

    func update(_ rule: AlarmRule, on db: any SQLDatabase) async throws {
        try await db.update("alarm_rules").set(model: try Row(rule), with: rowEncoder).where("id", .equal, rule.id)
            .run()
    }

    // MARK: State on each device

    struct StateRow: Codable { var ruleId: String, deviceId: String, state: String }

    func allStates(on db: any SQLDatabase) async throws -> [(RuleEngine.Key, ConditionState)] {
        let decoder = JSONDecoder()
        return try await db.select().column("*").from("rule_states").all(decoding: StateRow.self, with: rowDecoder).map
        {
            (
                RuleEngine.Key(ruleId: $0.ruleId, deviceId: $0.deviceId),
                try decoder.decode(ConditionState.self, from: Data($0.state.utf8))
            )
        }
    }

    /// Writes the states that changed; a state back at rest is deleted rather than stored.
    func saveStates(_ states: [(RuleEngine.Key, ConditionState)], on db: any SQLDatabase) async throws {
        guard !states.isEmpty else { return }
        let encoder = JSONEncoder()
        var rows: [StateRow] = []
        var resting: [RuleEngine.Key] = []
        for (key, state) in states {
            if state == ConditionState() {
                resting.append(key)
            } else {
                rows.append(
                    StateRow(
                        ruleId: key.ruleId, deviceId: key.deviceId,
                        state: String(decoding: try encoder.encode(state), as: UTF8.self)))
            }
        }
        for chunk in rows.chunks(of: 300) {
            try await db.insert(into: "rule_states").models(chunk, with: rowEncoder)
                .onConflict(with: ["rule_id", "device_id"]) { $0.set(excludedValueOf: "state") }.run()
        }
        for key in resting {
            try await db.delete(from: "rule_states").where("rule_id", .equal, key.ruleId).where(
                "device_id", .equal, key.deviceId
            ).run()
        }
    }

    func deleteStates(ruleId: String, on db: any SQLDatabase) async throws {
        try await db.delete(from: "rule_states").where("rule_id", .equal, ruleId).run()
    }
}
