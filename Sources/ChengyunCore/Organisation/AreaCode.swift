/// Rules for administrative area codes in the GB/T 2260 style.
public enum AreaCode {
    public static func isDigits(_ text: String, count: Int) -> Bool {
        text.count == count && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Checks a code against its level and, when given, its parent's code.
    public static func issues(code: String, level: AreaLevel, parentCode: String?, parentLevel: AreaLevel?)
        -> [FieldIssue]
    {
        var issues: [FieldIssue] = []
        guard isDigits(code, count: level.codeLength) else {
            return [
                FieldIssue(
                    field: "code", code: "invalid_code",
                    message: "A \(level.rawValue) code has \(level.codeLength) digits.")
            ]
        }
        if level == .city && !code.hasSuffix("00") {
            issues.append(FieldIssue(field: "code", code: "invalid_code", message: "A city code ends in 00."))
        }
        if let parentCode, let parentLevel {
            if parentLevel.child != level {
                let expected = expectedParent(of: level)?.rawValue ?? "nothing"
                issues.append(
                    FieldIssue(
                        field: "parentId", code: "invalid_parent",
                        message: "A \(level.rawValue) must sit directly under a \(expected)."))
            } else if !code.hasPrefix(codePrefix(ofParent: parentCode, level: parentLevel)) {
                issues.append(
                    FieldIssue(
                        field: "code", code: "code_outside_parent",
                        message: "The code must start with its parent's code \(parentCode)."))
            }
        } else if level != .city {
            issues.append(
                FieldIssue(
                    field: "parentId", code: "missing_parent",
                    message: "Only a city can be a root area."))
        }
        return issues
    }

    public static func expectedParent(of level: AreaLevel) -> AreaLevel? {
        AreaLevel.allCases.first { $0.child == level }
    }

    /// A district's code shares the first four digits of its prefecture-level city (3205 00 → 3205 08);
    /// below that, children extend the parent's full code.
    public static func codePrefix(ofParent code: String, level: AreaLevel) -> String {
        level == .city ? String(code.prefix(4)) : code
    }
}
