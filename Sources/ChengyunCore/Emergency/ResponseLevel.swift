/// A response level (响应等级) of an emergency plan: Ⅰ 特别重大 (most severe) to Ⅳ 一般.
public enum ResponseLevel: String, Codable, CaseIterable, Comparable, Sendable {
    case i = "I"
    case ii = "II"
    case iii = "III"
    case iv = "IV"

    /// 4 for Ⅰ down to 1 for Ⅳ: a higher number is a graver incident.
    public var severity: Int {
        switch self {
        case .i: 4
        case .ii: 3
        case .iii: 2
        case .iv: 1
        }
    }

    /// As plans and notices write it.
    public var numeral: String {
        switch self {
        case .i: "Ⅰ"
        case .ii: "Ⅱ"
        case .iii: "Ⅲ"
        case .iv: "Ⅳ"
        }
    }

    /// The level of centre that leads an incident at this response level (市管大事、区县管难事、
    /// 镇街管琐事): Ⅰ and Ⅱ the city, Ⅲ the district, Ⅳ the street.
    public var commandLevel: AreaLevel {
        switch self {
        case .i, .ii: .city
        case .iii: .district
        case .iv: .street
        }
    }

    /// The centre that leads an incident at this level: among the areas from the root down to the
    /// incident's own (`chain`), the deepest at or above the command level — the incident's own area
    /// when it lies above that level.
    public func leadingArea(in chain: [Area]) -> Area? {
        chain.last { $0.level <= commandLevel } ?? chain.first
    }

    /// Ordered by severity: `.iv < .i`.
    public static func < (a: ResponseLevel, b: ResponseLevel) -> Bool { a.severity < b.severity }
}
