/// Administrative levels, city → district → street → community (docs/domain.md §1).
public enum AreaLevel: String, Codable, CaseIterable, Sendable, Comparable {
    case city, district, street, community

    public var depth: Int {
        switch self {
        case .city: 0
        case .district: 1
        case .street: 2
        case .community: 3
        }
    }

    /// The level directly below, if any.
    public var child: AreaLevel? {
        switch self {
        case .city: .district
        case .district: .street
        case .street: .community
        case .community: nil
        }
    }

    /// Digits in this level's code: 6 for city and district/county (GB/T 2260), 9 for a street
    /// or town (county + 3), 12 for a community (street + 3).
    public var codeLength: Int {
        switch self {
        case .city, .district: 6
        case .street: 9
        case .community: 12
        }
    }

    public static func < (lhs: AreaLevel, rhs: AreaLevel) -> Bool { lhs.depth < rhs.depth }
}
