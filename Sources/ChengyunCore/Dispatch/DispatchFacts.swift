/// What the intake knows of a case when it is to be dispatched (智能分拨): the matter, the finer
/// classification the intake recorded (the matter's custom fields, coarse to fine), where, how it
/// came in, and the reporter's words. The learned model (`DispatchModel`) reads nothing else.
public struct DispatchFacts: Sendable, Hashable, Codable {
    public var matterId: String
    /// The matter's major category (E01: 市容环境), shared by its sibling matters: a matter with
    /// few closed cases of its own borrows theirs. Empty when unknown.
    public var category: String
    /// The matter's custom-field values in the matter's field order, coarse to fine (a request
    /// type, then its details). Empty when the matter has none.
    public var fields: [String]
    /// Area ids from the top down (city, district, street…).
    public var areaIds: [String]
    /// The intake channel (docs/domain.md §3: hotline, citizen, inspector, sensor…).
    public var source: String
    /// The description as reported.
    public var text: String

    public init(
        matterId: String, category: String = "", fields: [String] = [], areaIds: [String], source: String = "",
        text: String = ""
    ) {
        self.matterId = matterId
        self.category = category
        self.fields = fields
        self.areaIds = areaIds
        self.source = source
        self.text = text
    }
}

/// A closed case as the model learns from it: its facts, the department that really handled it
/// (after any correction by a dispatcher), and when it was filed.
public struct DispatchExample: Sendable, Hashable, Codable {
    public var facts: DispatchFacts
    public var departmentId: String
    /// Epoch milliseconds; newer examples weigh more (`DispatchModel.Settings.halfLifeDays`).
    public var at: Int64

    public init(facts: DispatchFacts, departmentId: String, at: Int64) {
        self.facts = facts
        self.departmentId = departmentId
        self.at = at
    }
}

extension DispatchFacts {
    /// A case as the model sees it: its major category, the matter's custom fields in the matter's order (a field
    /// left empty counts as empty), the area path's ids, the channel and the description.
    public init(case record: Case, matter: Matter?) {
        self.init(
            matterId: record.matterId,
            category: record.kind == .component ? "C" + record.majorCode : "E" + record.majorCode,
            fields: (matter?.customFields ?? []).map { record.customFields[$0.key] ?? "" },
            areaIds: record.areaPath.split(separator: "/").map(String.init), source: record.source.rawValue,
            text: record.description)
    }
}
