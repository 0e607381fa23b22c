import Foundation

/// A checked indicator tree: at most three levels, parents that exist, formulas that read and
/// refer to indicators of the tree, thresholds in order, no indicator depending on itself —
/// and the order to work formulas out in, so one pass computes the whole tree.
public struct IndicatorTree: Sendable {
    public let indicators: [Indicator]
    /// Codes in an order where everything a formula reads comes before it.
    public let order: [String]
    let formulas: [String: Formula]
    let children: [String: [String]]

    public static let maxLevels = 3

    public init(_ indicators: [Indicator]) throws {
        var validator = Validator()
        let byCode = Dictionary(indicators.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        validator.check(
            byCode.count == indicators.count, "indicators", "duplicate", "Each indicator code appears once.")
        var formulas: [String: Formula] = [:]
        var children: [String: [String]] = [:]
        for (index, indicator) in indicators.enumerated() {
            let field = "indicators[\(index)]"
            validator.check(
                indicator.code.range(of: #"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"#, options: .regularExpression) != nil,
                "\(field).code", "invalid_code", "Lower-case words joined by dots, e.g. city.clean.garbage_density.")
            if let parent = indicator.parentCode {
                validator.check(
                    byCode[parent] != nil, "\(field).parentCode", "unknown_parent", "There is no indicator \(parent).")
                children[parent, default: []].append(indicator.code)
            }
            validator.check(
                Self.level(of: indicator, in: byCode) <= Self.maxLevels, "\(field).parentCode", "too_deep",
                "The tree has at most \(Self.maxLevels) levels.")
            let limits = AlarmSeverity.allCases.sorted().compactMap { indicator.thresholds[$0] }
            let ordered =
                indicator.direction == .higherIsWorse ? limits == limits.sorted() : limits == limits.sorted(by: >)
            validator.check(
                ordered, "\(field).thresholds", "thresholds_out_of_order",
                "From blue to red the thresholds go \(indicator.direction == .higherIsWorse ? "up" : "down").")
            if case .formula(let text) = indicator.source {
                do {
                    let formula = try Formula(text)
                    formulas[indicator.code] = formula
                    for name in formula.references.sorted() where byCode[name] == nil {
                        validator.check(
                            false, "\(field).source.formula", "unknown_name",
                            "\(indicator.code) reads \(name), which is not in the tree.")
                    }
                } catch {
                    validator.check(
                        false, "\(field).source.formula", ErrorCode(rawValue: error.code), error.description)
                }
            }
        }
        try validator.finish()
        self.indicators = indicators
        self.formulas = formulas
        self.children = children
        self.order = try Self.order(indicators, formulas: formulas, children: children)
    }

    private static func level(of indicator: Indicator, in byCode: [String: Indicator]) -> Int {
        var level = 1
        var current = indicator
        while let parent = current.parentCode, let next = byCode[parent], level <= maxLevels {
            level += 1
            current = next
        }
        return level
    }

    /// Depth-first topological order; a loop is refused with the codes that make it.
    private static func order(_ indicators: [Indicator], formulas: [String: Formula], children: [String: [String]])
        throws -> [String]
    {
        var done = Set<String>(), visiting: [String] = [], order: [String] = []
        func dependencies(_ code: String) -> [String] {
            guard let formula = formulas[code] else { return [] }
            return formula.references.sorted() + (formula.readsChildren ? children[code] ?? [] : [])
        }
        func visit(_ code: String) throws {
            if done.contains(code) { return }
            if let start = visiting.firstIndex(of: code) {
                let loop = (visiting[start...] + [code]).joined(separator: " → ")
                throw DomainError.validation([
                    FieldIssue(field: "indicators", code: "cycle", message: "The formulas go round in a loop: \(loop).")
                ])
            }
            visiting.append(code)
            for next in dependencies(code) { try visit(next) }
            visiting.removeLast()
            done.insert(code)
            order.append(code)
        }
        for indicator in indicators { try visit(indicator.code) }
        return order
    }

    /// One indicator's value for a period and its colour.
    public struct Result: Equatable, Sendable, Codable {
        public var code: String
        public var value: Double?
        public var colour: AlarmSeverity?
    }

    /// Works out the whole tree: `base` holds the values of the indicators that are not formulas
    /// (nil where there is no data); formulas follow in order.
    public func compute(base: [String: Double?]) throws -> [Result] {
        var values: [String: Double?] = [:]
        let byCode = Dictionary(indicators.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        for code in order {
            if let formula = formulas[code] {
                let childValues = (children[code] ?? []).map { values[$0] ?? nil }
                values[code] = try formula.evaluate(children: childValues) { name in
                    guard let known = values[name] else { return .unknown }
                    return known.map(Formula.Binding.value) ?? .missing
                }
            } else {
                values[code] = base[code] ?? nil
            }
        }
        return indicators.map {
            Result(
                code: $0.code, value: values[$0.code] ?? nil,
                colour: byCode[$0.code]!.colour(of: values[$0.code] ?? nil))
        }
    }
}
