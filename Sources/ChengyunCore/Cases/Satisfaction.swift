/// A reporter's rating of how their report was handled, asked after closure (回访).
public enum Satisfaction: String, Codable, CaseIterable, Sendable {
    case satisfied // 满意
    case basicallySatisfied // 基本满意
    case dissatisfied // 不满意
}

/// A rating as recorded: on the reporter's own report, about the case it was handled in.
public struct CaseRating: Codable, Equatable, Sendable {
    public var reportCaseId: String
    public var caseId: String
    public var satisfaction: Satisfaction
    public var comment: String?
    public var ratedAt: Int64

    public init(reportCaseId: String, caseId: String, satisfaction: Satisfaction, comment: String?, ratedAt: Int64) {
        self.reportCaseId = reportCaseId
        self.caseId = caseId
        self.satisfaction = satisfaction
        self.comment = comment
        self.ratedAt = ratedAt
    }
}

/// A report as its reporter follows it: where the case stands, the reply once it is finished,
/// and the rating (which may be given once the case is closed).
public struct ReportProgress: Codable, Equatable, Sendable {
    public var id: String
    public var number: String
    public var matterName: String
    public var description: String
    public var address: String?
    public var reportedAt: Int64
    /// The state of the case the report is handled in (its own, or the one it was merged into).
    public var state: CaseState
    public var mergedInto: String?
    /// The note the case's last step left, once it is finished (the reply to the reporter).
    public var reply: String?
    public var closedAt: Int64?
    public var rating: CaseRating?
    public var canRate: Bool

    public init(
        id: String, number: String, matterName: String, description: String, address: String?, reportedAt: Int64,
        state: CaseState, mergedInto: String?, reply: String?, closedAt: Int64?, rating: CaseRating?, canRate: Bool
    ) {
        self.id = id
        self.number = number
        self.matterName = matterName
        self.description = description
        self.address = address
        self.reportedAt = reportedAt
        self.state = state
        self.mergedInto = mergedInto
        self.reply = reply
        self.closedAt = closedAt
        self.rating = rating
        self.canRate = canRate
    }
}
