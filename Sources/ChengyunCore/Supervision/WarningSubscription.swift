/// A person's subscription (订阅) to warnings: of some kinds (none listed: every kind), from a
/// colour up, in an area. Matching warnings are listed for them and reminded to them.
public struct WarningSubscription: Codable, Equatable, Sendable {
    public var id: String
    public var userId: String
    public var kinds: [Warning.Kind]
    public var minLevel: AlarmSeverity
    public var areaPath: String
    public var createdAt: Int64

    public init(
        id: String, userId: String, kinds: [Warning.Kind], minLevel: AlarmSeverity, areaPath: String, createdAt: Int64
    ) {
        self.id = id
        self.userId = userId
        self.kinds = kinds
        self.minLevel = minLevel
        self.areaPath = areaPath
        self.createdAt = createdAt
    }

    public func matches(_ warning: Warning) -> Bool {
        (kinds.isEmpty || kinds.contains(warning.kind)) && warning.level >= minLevel
            && warning.areaPath.hasPrefix(areaPath)
    }
}
