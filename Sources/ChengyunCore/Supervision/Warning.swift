/// A warning (预警): something is about to go wrong or has — a case stage near or past its time
/// limit, a patrol task near or past its deadline, a supervision order past its deadline, an
/// indicator past a threshold. One warning per subject (`key`), raised once and
/// raised again in level; resolved when the subject is settled.
public struct Warning: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// A case's running stage: yellow from its warning threshold, red once overdue.
        case caseStage
        /// A supervision order not answered by its deadline.
        case supervisionOverdue
        /// A city vital sign past one of its colour thresholds, for an area.
        case indicator
        /// An open patrol task: yellow from the policy's share of its time, red once overdue.
        case patrolTask
        /// An emergency incident's task under way: yellow from the policy's share of its time, red
        /// once overdue.
        case incidentTask
        /// A grid cell turned red on the risk map for a category, settled when it leaves red.
        case riskCell
    }

    public var id: String
    /// What the warning is about, e.g. `case:<id>:handle`; at most one open warning per key.
    public var key: String
    public var kind: Kind
    public var level: AlarmSeverity
    public var targetType: String
    public var targetId: String
    public var areaPath: String
    /// A department the warning is addressed to (the one handling the case), if any.
    public var departmentId: String?
    public var title: String
    public var detail: String
    public var raisedAt: Int64
    public var updatedAt: Int64
    public var resolvedAt: Int64?
    /// The case the warning opened (an indicator whose case rule it reached).
    public var caseId: String?

    public init(
        id: String, key: String, kind: Kind, level: AlarmSeverity, targetType: String, targetId: String,
        areaPath: String,
        departmentId: String?, title: String, detail: String, raisedAt: Int64, updatedAt: Int64,
        resolvedAt: Int64? = nil
    ) {
        self.id = id
        self.key = key
        self.kind = kind
        self.level = level
        self.targetType = targetType
        self.targetId = targetId
        self.areaPath = areaPath
        self.departmentId = departmentId
        self.title = title
        self.detail = detail
        self.raisedAt = raisedAt
        self.updatedAt = updatedAt
        self.resolvedAt = resolvedAt
    }
}
