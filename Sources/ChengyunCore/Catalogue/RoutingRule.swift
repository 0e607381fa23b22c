/// Who handles what where (matter × area → department(s)). A rule without a matter is an area's
/// fallback. The most specific area wins; a matter rule beats a fallback at the same depth.
public struct RoutingRule: Codable, Equatable, Sendable {
    public var id: String
    public var matterId: String?
    public var areaId: String
    public var areaPath: String
    public var departmentIds: [String]

    public init(id: String, matterId: String?, areaId: String, areaPath: String, departmentIds: [String]) {
        self.id = id
        self.matterId = matterId
        self.areaId = areaId
        self.areaPath = areaPath
        self.departmentIds = departmentIds
    }

    /// The rule that routes a case of `matterId` located at `areaPath`, if any.
    public static func resolve(_ rules: [RoutingRule], matterId: String, areaPath: String) -> RoutingRule? {
        rules.filter { areaPath.hasPrefix($0.areaPath) && ($0.matterId == nil || $0.matterId == matterId) }
            .max { lhs, rhs in
                (lhs.areaPath.count, lhs.matterId == nil ? 0 : 1) < (rhs.areaPath.count, rhs.matterId == nil ? 0 : 1)
            }
    }
}
