/// The inputs of the case loop's two entries: a report from any channel, and one step.

/// A new report from any channel.
public struct NewReport: Decodable, Sendable {
    /// The matter, by id or by its code (E0102).
    public var matterId: String?
    public var matterCode: String?
    /// A citizen's plain-language category (`PublicCategory`) instead of a matter: the learned
    /// model proposes the matter among the category's, for the intake operator to confirm.
    public var category: String?
    public var description: String
    public var lon: Double
    public var lat: Double
    public var address: String?
    public var urgency: Urgency?
    public var customFields: [String: String]?
    /// For intake operators: `intake` (default) or `hotline`.
    public var source: CaseSource?
    public var reporterName: String?
    public var reporterContact: String?
    /// Ids of files uploaded first (POST /api/v1/attachments): the "before" photos.
    public var attachments: [String]?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case matterId, matterCode, category, description, lon, lat, address, urgency, customFields, source,
            reporterName, reporterContact
        case attachments
    }

    public init(
        matterId: String? = nil, matterCode: String? = nil, category: String? = nil, description: String,
        lon: Double, lat: Double,
        address: String? = nil, urgency: Urgency? = nil, customFields: [String: String]? = nil,
        source: CaseSource? = nil, reporterName: String? = nil, reporterContact: String? = nil
    ) {
        self.matterId = matterId
        self.matterCode = matterCode
        self.category = category
        self.description = description
        self.lon = lon
        self.lat = lat
        self.address = address
        self.urgency = urgency
        self.customFields = customFields
        self.source = source
        self.reporterName = reporterName
        self.reporterContact = reporterContact
    }
}

/// One step of the loop, with what that step needs.
public struct CaseActionInput: Decodable, Sendable {
    public var action: CaseAction
    public var note: String?
    /// verify: whether the problem was found as reported.
    public var verified: Bool?
    /// dispatch: the departments to send the case to.
    public var departmentIds: [String]?
    /// requestExtension: how many working minutes more.
    public var minutes: Int?
    /// file: reclassify under another matter, or change the urgency.
    public var matterId: String?
    public var urgency: Urgency?
    /// merge: the open case this one duplicates.
    public var duplicateOf: String?
    /// Evidence uploaded first: the "after" photos of a completed case, a check's photos.
    public var attachments: [String]?
    /// assign (or accept): the inspector who is to verify or check.
    public var inspectorId: String?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case action, note, verified, departmentIds, minutes, matterId, urgency, duplicateOf, attachments, inspectorId
    }

    public init(
        _ action: CaseAction, note: String? = nil, verified: Bool? = nil, departmentIds: [String]? = nil,
        minutes: Int? = nil, matterId: String? = nil, urgency: Urgency? = nil, duplicateOf: String? = nil,
        inspectorId: String? = nil
    ) {
        self.action = action
        self.note = note
        self.verified = verified
        self.departmentIds = departmentIds
        self.minutes = minutes
        self.matterId = matterId
        self.urgency = urgency
        self.duplicateOf = duplicateOf
        self.inspectorId = inspectorId
    }
}
