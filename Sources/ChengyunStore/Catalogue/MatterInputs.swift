import ChengyunCore

/// A matter as an administrator writes it (and as the catalogue file holds it).
public struct MatterInput: StrictInput, Encodable {
    public var kind: CaseKind
    public var majorCode: String
    public var minorCode: String
    public var name: String
    public var description: String?
    public var filingCondition: String?
    public var closingCondition: String?
    public var limits: [MatterLimits]
    public var warningThresholds: [StageThreshold]?
    public var autoAccept: Bool?
    public var isPublic: Bool?
    public var customFields: [CustomField]?
    public var active: Bool?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, majorCode, minorCode, name, description, filingCondition, closingCondition, limits, warningThresholds
        case autoAccept, isPublic, customFields, active
    }
    public typealias Fields = CodingKeys

    public init(_ matter: Matter) {
        kind = matter.kind
        majorCode = matter.majorCode
        minorCode = matter.minorCode
        name = matter.name
        description = matter.description
        filingCondition = matter.filingCondition
        closingCondition = matter.closingCondition
        limits = matter.limits
        warningThresholds = matter.warningThresholds
        autoAccept = matter.autoAccept
        isPublic = matter.isPublic
        customFields = matter.customFields
        active = matter.active
    }

    func matter(id: String, version: Int, at now: Int64) -> Matter {
        Matter(
            id: id, version: version, kind: kind, majorCode: majorCode, minorCode: minorCode, name: name,
            description: description ?? "", filingCondition: filingCondition ?? "",
            closingCondition: closingCondition ?? "",
            limits: limits, warningThresholds: warningThresholds ?? [], autoAccept: autoAccept ?? false,
            isPublic: isPublic ?? true, customFields: customFields ?? [], active: active ?? true, updatedAt: now)
    }
}

/// The catalogue as a file: import and export.
public struct MatterCatalogueFile: StrictInput, Encodable {
    public var version: String?
    public var source: String?
    public var matters: [MatterInput]
    public enum CodingKeys: String, CodingKey, CaseIterable { case version, source, matters }
    public typealias Fields = CodingKeys
}

public struct NewRoutingRule: StrictInput {
    public var matterId: String?
    public var areaId: String
    public var departmentIds: [String]
    public enum CodingKeys: String, CodingKey, CaseIterable { case matterId, areaId, departmentIds }
    public typealias Fields = CodingKeys
    public init(matterId: String?, areaId: String, departmentIds: [String]) {
        self.matterId = matterId
        self.areaId = areaId
        self.departmentIds = departmentIds
    }
}

/// What an import did.
public struct ImportReport: Encodable, Sendable {
    public var created: Int
    public var updated: Int
    public var unchanged: Int
}
