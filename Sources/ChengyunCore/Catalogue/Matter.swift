/// A matter (事项): a minor category with the rules people decide by — filing and closing
/// conditions, time limits per stage and urgency, warning thresholds, custom fields. Matters are
/// versioned: a case keeps the version (and so the limits) it was filed under.
public struct Matter: Codable, Equatable, Sendable {
    public var id: String
    public var version: Int
    public var kind: CaseKind
    public var majorCode: String
    public var minorCode: String
    public var name: String
    public var description: String
    /// 立案条件, shown to the shift supervisor.
    public var filingCondition: String
    /// 结案条件, shown to the checking inspector and the supervisor.
    public var closingCondition: String
    public var limits: [MatterLimits]
    /// Share of a stage's limit after which it turns yellow (docs/domain.md §5: default 80 %).
    public var warningThresholds: [StageThreshold]
    /// Machine reports (IoT, video-AI) of this matter skip intake acceptance.
    public var autoAccept: Bool
    /// Offered to citizens and Open311 apps as a service.
    public var isPublic: Bool
    public var customFields: [CustomField]
    public var active: Bool
    public var updatedAt: Int64

    public init(
        id: String, version: Int = 1, kind: CaseKind, majorCode: String, minorCode: String, name: String,
        description: String = "", filingCondition: String = "", closingCondition: String = "",
        limits: [MatterLimits], warningThresholds: [StageThreshold] = [], autoAccept: Bool = false,
        isPublic: Bool = true, customFields: [CustomField] = [], active: Bool = true, updatedAt: Int64
    ) {
        self.id = id
        self.version = version
        self.kind = kind
        self.majorCode = majorCode
        self.minorCode = minorCode
        self.name = name
        self.description = description
        self.filingCondition = filingCondition
        self.closingCondition = closingCondition
        self.limits = limits
        self.warningThresholds = warningThresholds
        self.autoAccept = autoAccept
        self.isPublic = isPublic
        self.customFields = customFields
        self.active = active
        self.updatedAt = updatedAt
    }

    /// The code a case number and Open311 service code use: kind letter, major, minor (E0102).
    public var code: String { MatterCode(kind: kind, majorCode: majorCode, minorCode: minorCode).description }

    public func limits(for urgency: Urgency) -> MatterLimits? {
        limits.first { $0.urgency == urgency } ?? limits.first { $0.urgency == .normal }
    }

    public func warningThreshold(for stage: CaseStage) -> Double {
        warningThresholds.first { $0.stage == stage }?.threshold ?? 0.8
    }

    public func issues() -> [FieldIssue] {
        var validator = Validator()
        validator.checkText(name, field: "name")
        validator.check(
            AreaCode.isDigits(majorCode, count: 2) && AreaCode.isDigits(minorCode, count: 2), "minorCode",
            "invalid_code", "Major and minor codes have two digits each.")
        validator.check(
            limits.contains { $0.urgency == .normal }, "limits", "required", "Give the limits for normal urgency.")
        validator.check(
            Set(limits.map(\.urgency)).count == limits.count, "limits", "duplicate", "One set of limits per urgency.")
        for (index, limit) in limits.enumerated() {
            validator.check(
                Set(limit.stages.map(\.stage)).count == limit.stages.count, "limits[\(index)].stages", "duplicate",
                "One limit per stage.")
            for (s, stage) in limit.stages.enumerated() {
                validator.check(
                    stage.limit.value > 0, "limits[\(index)].stages[\(s)].limit", "invalid_limit",
                    "A limit is positive.")
            }
            validator.check(limit.total.value > 0, "limits[\(index)].total", "invalid_limit", "A limit is positive.")
        }
        for (index, threshold) in warningThresholds.enumerated() {
            validator.check(
                threshold.threshold > 0 && threshold.threshold <= 1, "warningThresholds[\(index)]",
                "invalid_threshold", "A threshold is a share of the limit, above 0 and at most 1.")
        }
        var keys = Set<String>()
        for (index, field) in customFields.enumerated() {
            validator.check(
                keys.insert(field.key).inserted, "customFields[\(index)].key", "duplicate", "Field keys are unique.")
            validator.check(
                !field.key.isEmpty && field.key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") },
                "customFields[\(index)].key", "invalid_key", "A key is letters, digits and _.")
            if field.datatype == .singleValueList || field.datatype == .multiValueList {
                validator.check(
                    !field.values.isEmpty, "customFields[\(index)].values", "required", "A list field needs values.")
            }
        }
        return validator.issues
    }
}

/// The time limits of one urgency: per stage, and for the whole case.
public struct MatterLimits: Codable, Equatable, Sendable {
    public var urgency: Urgency
    public var stages: [StageLimit]
    public var total: TimeLimit

    public init(urgency: Urgency, stages: [StageLimit], total: TimeLimit) {
        self.urgency = urgency
        self.stages = stages
        self.total = total
    }

    public func limit(for stage: CaseStage) -> TimeLimit? { stages.first { $0.stage == stage }?.limit }
}

public struct StageLimit: Codable, Equatable, Sendable {
    public var stage: CaseStage
    public var limit: TimeLimit
    public init(_ stage: CaseStage, _ limit: TimeLimit) {
        self.stage = stage
        self.limit = limit
    }
}

public struct StageThreshold: Codable, Equatable, Sendable {
    public var stage: CaseStage
    public var threshold: Double
    public init(_ stage: CaseStage, _ threshold: Double) {
        self.stage = stage
        self.threshold = threshold
    }
}

/// A matter-specific field of a report ("number of bins overflowing"); datatypes as Open311's
/// service attributes, so a matter's fields become its service definition.
public struct CustomField: Codable, Equatable, Sendable {
    public enum Datatype: String, Codable, Sendable, CaseIterable {
        case string, number, datetime, text
        case singleValueList = "singlevaluelist"
        case multiValueList = "multivaluelist"
    }

    public struct Value: Codable, Equatable, Sendable {
        public var key: String
        public var name: String
        public init(key: String, name: String) {
            self.key = key
            self.name = name
        }
    }

    public var key: String
    public var label: String
    public var datatype: Datatype
    public var required: Bool
    public var values: [Value]

    public init(key: String, label: String, datatype: Datatype, required: Bool = false, values: [Value] = []) {
        self.key = key
        self.label = label
        self.datatype = datatype
        self.required = required
        self.values = values
    }
}

extension Validator {
    mutating func checkText(_ text: String, field: String, max: Int = 100) {
        check(!text.trimmingCharacters(in: .whitespaces).isEmpty, field, "required", "\(field) may not be empty.")
        check(text.count <= max, field, "too_long", "\(field) has at most \(max) characters.")
    }
}

import Foundation
