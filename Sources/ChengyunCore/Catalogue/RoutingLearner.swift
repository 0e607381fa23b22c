/// Learns routing rules from past cases (matter, area path, the department that handled it):
/// the most frequent department per matter city-wide, then per matter in each area where the
/// local majority differs from what the rules above already say, with at least `minimumSupport`
/// cases behind it; plus a fallback for unknown matters.
public struct RoutingLearner: Sendable {
    public struct Example: Sendable {
        public var matterId: String
        /// Area ids from the top down (city, district, street…).
        public var areaIds: [String]
        public var departmentId: String
        public init(matterId: String, areaIds: [String], departmentId: String) {
            self.matterId = matterId
            self.areaIds = areaIds
            self.departmentId = departmentId
        }
    }

    public var minimumSupport: Int
    public init(minimumSupport: Int = 3) { self.minimumSupport = minimumSupport }

    static func path(_ ids: some Sequence<String>) -> String { "/" + ids.map { $0 + "/" }.joined() }

    public func learn(_ examples: [Example]) -> [RoutingRule] {
        guard let root = examples.first?.areaIds.first else { return [] }
        var rules = [
            RoutingRule(
                id: "fallback", matterId: nil, areaId: root, areaPath: Self.path([root]),
                departmentIds: [Self.majority(examples.map(\.departmentId))])
        ]
        let depth = examples.map(\.areaIds.count).max() ?? 1
        for level in 1...depth {
            // Group by matter and the area at this level.
            var groups: [String: [Example]] = [:]
            for example in examples where example.areaIds.count >= level {
                groups[example.matterId + "|" + Self.path(example.areaIds.prefix(level)), default: []].append(example)
            }
            for key in groups.keys.sorted() {
                let group = groups[key]!
                let ids = Array(group[0].areaIds.prefix(level))
                let best = Self.majority(group.map(\.departmentId))
                let current = RoutingRule.resolve(rules, matterId: group[0].matterId, areaPath: Self.path(ids))?
                    .departmentIds.first
                guard best != current, level == 1 || group.count >= minimumSupport else { continue }
                rules.append(
                    RoutingRule(
                        id: "\(group[0].matterId)@\(ids.joined(separator: "."))", matterId: group[0].matterId,
                        areaId: ids.last!, areaPath: Self.path(ids), departmentIds: [best]))
            }
        }
        return rules
    }

    static func majority(_ values: [String]) -> String {
        var counts: [String: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return majority(of: counts) ?? ""
    }

    /// The most frequent value of a tally; a tie goes to the value first in alphabetical order.
    public static func majority(of counts: [String: Int]) -> String? {
        counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }
}
