/// A matter's code as people and Open311 clients write it: the kind's letter, the major and the
/// minor code, e.g. `E0102` (an event, 01 市容环境, 02 暴露垃圾).
public struct MatterCode: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var kind: CaseKind
    public var majorCode: String
    public var minorCode: String

    public init(kind: CaseKind, majorCode: String, minorCode: String) {
        self.kind = kind
        self.majorCode = majorCode
        self.minorCode = minorCode
    }

    /// Parses `E0102`; nil unless it is a kind letter and four digits.
    public init?(_ text: String) {
        guard text.count == 5, let kind = CaseKind(letter: String(text.prefix(1))),
            text.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        self.init(kind: kind, majorCode: String(text.dropFirst().prefix(2)), minorCode: String(text.suffix(2)))
    }

    public var description: String { kind.letter + majorCode + minorCode }
}

extension CaseKind {
    /// The kind a case number or matter code starts with (`E`, `C`).
    public init?(letter: String) {
        guard let kind = Self.allCases.first(where: { $0.letter == letter }) else { return nil }
        self = kind
    }
}
