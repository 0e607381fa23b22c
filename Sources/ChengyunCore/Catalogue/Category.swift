/// 部件 (component, a physical asset) or 事件 (event, any other problem).
public enum CaseKind: String, Codable, CaseIterable, Sendable {
    case component, event

    /// The letter case numbers start with (docs/domain.md §3).
    public var letter: String { self == .component ? "C" : "E" }
}

/// A major category (大类) of GB/T 30428.2 or a city extension.
public struct MajorCategory: Codable, Equatable, Sendable {
    public var kind: CaseKind
    public var code: String
    public var name: String
    public var nameEn: String

    public init(kind: CaseKind, code: String, name: String, nameEn: String) {
        self.kind = kind
        self.code = code
        self.name = name
        self.nameEn = nameEn
    }
}

/// A minor category (小类) under a major one.
public struct MinorCategory: Codable, Equatable, Sendable {
    public var kind: CaseKind
    public var majorCode: String
    public var code: String
    public var name: String
    public var nameEn: String

    public init(kind: CaseKind, majorCode: String, code: String, name: String, nameEn: String) {
        self.kind = kind
        self.majorCode = majorCode
        self.code = code
        self.name = name
        self.nameEn = nameEn
    }
}

/// The two-level classification, as shipped in the default catalogue file and edited by admins.
public struct CategoryTree: Codable, Equatable, Sendable {
    public var majors: [MajorCategory]
    public var minors: [MinorCategory]

    public init(majors: [MajorCategory], minors: [MinorCategory]) {
        self.majors = majors
        self.minors = minors
    }

    /// Codes are two digits, unique within their parent, and every minor has its major.
    public func issues() -> [FieldIssue] {
        var validator = Validator()
        var majorKeys = Set<String>()
        for (index, major) in majors.enumerated() {
            validator.check(
                AreaCode.isDigits(major.code, count: 2), "majors[\(index)].code", "invalid_code",
                "A category code has two digits.")
            validator.check(
                majorKeys.insert("\(major.kind)/\(major.code)").inserted, "majors[\(index)].code",
                "duplicate", "Major category \(major.kind.rawValue) \(major.code) appears twice.")
        }
        var minorKeys = Set<String>()
        for (index, minor) in minors.enumerated() {
            validator.check(
                AreaCode.isDigits(minor.code, count: 2), "minors[\(index)].code", "invalid_code",
                "A category code has two digits.")
            validator.check(
                majorKeys.contains("\(minor.kind)/\(minor.majorCode)"), "minors[\(index)].majorCode",
                "unknown_major", "No major category \(minor.kind.rawValue) \(minor.majorCode).")
            validator.check(
                minorKeys.insert("\(minor.kind)/\(minor.majorCode)/\(minor.code)").inserted,
                "minors[\(index)].code", "duplicate",
                "Minor category \(minor.majorCode)\(minor.code) appears twice.")
        }
        return validator.issues
    }
}
