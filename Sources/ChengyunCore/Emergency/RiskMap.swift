/// The four-colour safety-risk map (安全风险四色图): each grid cell gets a level per risk category —
/// 重大 red, 较大 orange, 一般 yellow, 低 blue (the `AlarmSeverity` scale) — from the category's
/// rule, a formula in the indicator language over the cell's facts.
public struct RiskCategory: Codable, Equatable, Sendable {
    /// e.g. `gas`, `flood`, `fire_safety`, `work_safety`, `forest_fire`.
    public var code: String
    public var name: String
    /// A formula over `RiskFacts.names` giving 1 (blue) to 4 (red); no value is blue.
    public var rule: String
    /// Device kinds whose open alarms count in a cell (e.g. `gas`).
    public var deviceKinds: [String]
    /// Matter codes whose open cases count in a cell (e.g. `E0403` gas pipe burst).
    public var matterCodes: [String]
    /// The incident type an incident opened from a red cell of this category takes (the plan
    /// that answers it), e.g. `gas_leak` for gas.
    public var incidentType: String?
    /// Indicators (city vital signs) whose open warnings for the cell's area, or an area above it,
    /// colour the cell's facts (e.g. `city.safe`).
    public var indicatorCodes: [String]?

    public init(
        code: String, name: String, rule: String, deviceKinds: [String], matterCodes: [String],
        incidentType: String? = nil, indicatorCodes: [String]? = nil
    ) {
        self.code = code
        self.name = name
        self.rule = rule
        self.deviceKinds = deviceKinds
        self.matterCodes = matterCodes
        self.incidentType = incidentType
        self.indicatorCodes = indicatorCodes
    }

    /// The rule read, or the issue: it must be a formula over the facts' names only.
    public func formula() throws -> Formula {
        let formula: Formula
        do { formula = try Formula(rule) } catch {
            throw DomainError.validation([
                FieldIssue(field: "rule", code: "invalid_formula", message: error.description)
            ])
        }
        if let unknown = formula.references.subtracting(RiskFacts.names).sorted().first {
            throw DomainError.validation([
                FieldIssue(
                    field: "rule", code: "unknown_fact",
                    message: "\(unknown) is not a cell fact (\(RiskFacts.names.sorted().joined(separator: ", "))).")
            ])
        }
        return formula
    }
}

/// What a cell holds for one category: its hazard sources (how many, the gravest inherent level
/// 1–4, 0 when none), the open alarms of the category's device kinds (how many, the gravest
/// severity 1–4), the open cases of its matters, and the gravest colour (1–4, 0 when none) of the
/// open warnings of the category's indicators for its area or an area above it.
public struct RiskFacts: Codable, Equatable, Sendable {
    public var hazards = 0
    public var hazardMax = 0
    public var alarms = 0
    public var alarmMax = 0
    public var cases = 0
    public var indicatorMax = 0

    public init(
        hazards: Int = 0, hazardMax: Int = 0, alarms: Int = 0, alarmMax: Int = 0, cases: Int = 0, indicatorMax: Int = 0
    ) {
        self.hazards = hazards
        self.hazardMax = hazardMax
        self.alarms = alarms
        self.alarmMax = alarmMax
        self.cases = cases
        self.indicatorMax = indicatorMax
    }

    /// The names a rule reads.
    public static let names: Set<String> = [
        "hazards", "hazard_max", "alarms", "alarm_max", "cases", "indicator_max",
    ]

    func value(_ name: String) -> Formula.Binding {
        switch name {
        case "hazards": .value(Double(hazards))
        case "hazard_max": .value(Double(hazardMax))
        case "alarms": .value(Double(alarms))
        case "alarm_max": .value(Double(alarmMax))
        case "cases": .value(Double(cases))
        case "indicator_max": .value(Double(indicatorMax))
        default: .unknown
        }
    }
}

/// A cell's level for one category, and what it rests on.
public struct CellRisk: Codable, Equatable, Sendable {
    public var gridCellId: String
    public var category: String
    public var level: AlarmSeverity
    public var facts: RiskFacts
    public var areaPath: String
    public var updatedAt: Int64

    public init(
        gridCellId: String, category: String, level: AlarmSeverity, facts: RiskFacts, areaPath: String,
        updatedAt: Int64
    ) {
        self.gridCellId = gridCellId
        self.category = category
        self.level = level
        self.facts = facts
        self.areaPath = areaPath
        self.updatedAt = updatedAt
    }
}

public enum RiskMap {
    /// A cell's level from its facts: the rule's value rounded into 1…4; no value is blue.
    public static func level(_ rule: Formula, _ facts: RiskFacts) -> AlarmSeverity {
        let value = (try? rule.evaluate(value: facts.value)) ?? nil
        let rank = min(4, max(1, Int((value ?? 1).rounded())))
        return AlarmSeverity.allCases.first { $0.rank == rank } ?? .blue
    }
}
