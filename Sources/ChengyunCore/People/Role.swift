/// Staff roles (docs/domain.md §2). A person may hold several.
public enum Role: String, Codable, CaseIterable, Sendable, Comparable {
    case inspector // 监督员
    case intake // 受理员
    case supervisor // 值班长
    case dispatcher // 派遣员
    case handler // 专业部门处置人员
    case leader // 领导
    case admin // 系统管理员

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Every staff role: the audience of read-only organisation data.
    public static let staff = Set(allCases)
}

/// What a machine API key may do. Keys never hold staff roles.
public enum KeyScope: String, Codable, CaseIterable, Sendable {
    case telemetryWrite = "telemetry:write"
    case casesCreate = "cases:create"
    case open311Submit = "open311:submit"
    case dataRead = "data:read"
    /// Reads the NGSI-LD door's entities (devices with their latest readings, alarms) in the
    /// key's area, as a context-broker client of another system does; subscribing stays staff's.
    case contextRead = "context:read"
    /// Loads records into the one dataset the key was made for (`APIKey.datasetId`), as the
    /// system that feeds it pushes them: a push key, made by the dataset's owner, not here.
    case dataPush = "data:push"

    /// What an administrator grants through the general key route: every scope but `data:push`,
    /// whose keys are made by a dataset's owner for that dataset (a push key without its dataset
    /// would load nowhere).
    public static let general = allCases.filter { $0 != .dataPush }
}
