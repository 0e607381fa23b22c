/// Grid cell code (单元网格编码), 14 digits: county (6) + street (3) + community (3) + sequence (2).
public struct GridCellCode: Equatable, Sendable, CustomStringConvertible {
    public let value: String
    public var countyCode: String { String(value.prefix(6)) }
    public var streetCode: String { String(value.prefix(9)) }
    public var communityCode: String { String(value.prefix(12)) }
    public var sequence: Int { Int(value.suffix(2)) ?? 0 }
    public var description: String { value }

    public init?(_ value: String) {
        guard AreaCode.isDigits(value, count: 14), value.suffix(2) != "00" else { return nil }
        self.value = value
    }

    public init(community: String, sequence: Int) {
        precondition(AreaCode.isDigits(community, count: 12) && (1...99).contains(sequence))
        value = community + (sequence < 10 ? "0" : "") + String(sequence)
    }
}

/// Component code (部件编码), 16 digits: county (6) + major (2) + minor (2) + serial (6).
public struct ComponentCode: Equatable, Sendable, CustomStringConvertible {
    public let value: String
    public var countyCode: String { String(value.prefix(6)) }
    public var majorCode: String { String(value.dropFirst(6).prefix(2)) }
    public var minorCode: String { String(value.dropFirst(8).prefix(2)) }
    public var serial: Int { Int(value.suffix(6)) ?? 0 }
    public var description: String { value }

    public init?(_ value: String) {
        guard AreaCode.isDigits(value, count: 16) else { return nil }
        self.value = value
    }
}
