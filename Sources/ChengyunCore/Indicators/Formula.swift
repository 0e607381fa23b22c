import Foundation

/// An indicator's formula in our own small language — read and worked out here, never run as
/// code. Arithmetic (`+ - * / % ^`), comparisons, `and`/`or`/`not`, `if(c, a, b)`, `min`, `max`,
/// `sum`, `avg`, `count` (over arguments, or over `children`: the indicator's child values),
/// `abs`, `round(x[, digits])`, `coalesce(a, b…)`; names are other indicators' codes.
///
/// Missing data propagates: a name without a value makes the arithmetic around it have no value
/// (nil), aggregates skip missing values, `coalesce` picks the first present one. Division by zero
/// has no value either. True is 1 and false is 0.
public struct Formula: Equatable, Sendable {
    public let source: String
    let root: FormulaNode

    public init(_ source: String) throws(FormulaError) {
        var parser = try FormulaParser(source)
        self.source = source
        self.root = try parser.parse()
    }

    /// The names the formula reads, for ordering a tree's computation and checking it refers
    /// to indicators that exist.
    public var references: Set<String> {
        var names = Set<String>()
        func walk(_ node: FormulaNode) {
            switch node {
            case .name(let name, _): names.insert(name)
            case .negate(let inner), .not(let inner): walk(inner)
            case .binary(_, let left, let right, _): walk(left); walk(right)
            case .call(_, let arguments, _): arguments.forEach(walk)
            case .number, .children: break
            }
        }
        walk(root)
        return names
    }

    /// Whether the formula reads its indicator's children.
    public var readsChildren: Bool {
        func walk(_ node: FormulaNode) -> Bool {
            switch node {
            case .children: true
            case .negate(let inner), .not(let inner): walk(inner)
            case .binary(_, let left, let right, _): walk(left) || walk(right)
            case .call(_, let arguments, _): arguments.contains(where: walk)
            case .number, .name: false
            }
        }
        return walk(root)
    }

    /// What a name stands for while a formula is worked out.
    public enum Binding: Equatable, Sendable {
        case value(Double)
        /// The indicator exists but has no value for this period.
        case missing
        /// No such indicator: an error that points at the name.
        case unknown
    }

    /// Works the formula out. `value` binds names; `children` are the child indicators' values
    /// (nil where a child has none).
    public func evaluate(children: [Double?] = [], value: (String) -> Binding) throws(FormulaError) -> Double? {
        var failure: FormulaError?
        let result = withoutActuallyEscaping(value) { (lookup) -> Double? in
            do {
                return try FormulaEvaluator(source: Array(source), children: children, lookup: lookup).evaluate(root)
            } catch {
                failure = error as? FormulaError
                return nil
            }
        }
        if let failure { throw failure }
        return result
    }
}

private struct FormulaEvaluator {
    let source: [Character]
    let children: [Double?]
    let lookup: (String) -> Formula.Binding

    func evaluate(_ node: FormulaNode) throws(FormulaError) -> Double? {
        switch node {
        case .number(let value):
            return value
        case .name(let name, let at):
            switch lookup(name) {
            case .value(let value): return value
            case .missing: return nil
            case .unknown: throw FormulaError("unknown_name", "There is no indicator \(name).", at: at, in: source)
            }
        case .children:
            return nil // only read through aggregates (see `values`)
        case .negate(let inner):
            return try evaluate(inner).map { -$0 }
        case .not(let inner):
            return try evaluate(inner).map { $0 == 0 ? 1 : 0 }
        case .binary(let op, let left, let right, _):
            return try binary(op, left, right)
        case .call(let name, let arguments, _):
            return try call(name, arguments)
        }
    }

    private func binary(_ op: String, _ leftNode: FormulaNode, _ rightNode: FormulaNode) throws(FormulaError) -> Double?
    {
        let left = try evaluate(leftNode)
        // and/or decide without the right side when the left one settles it.
        if op == "and", left == 0 { return 0 }
        if op == "or", let left, left != 0 { return 1 }
        let right = try evaluate(rightNode)
        if op == "and" {
            if right == 0 { return 0 }
            return left == nil || right == nil ? nil : 1
        }
        if op == "or" {
            if let right, right != 0 { return 1 }
            return left == nil || right == nil ? nil : 0
        }
        guard let a = left, let b = right else { return nil }
        let truth = { (value: Bool) -> Double in value ? 1 : 0 }
        let result: Double
        switch op {
        case "+": result = a + b
        case "-": result = a - b
        case "*": result = a * b
        case "/": guard b != 0 else { return nil }; result = a / b
        case "%": guard b != 0 else { return nil }; result = a.truncatingRemainder(dividingBy: b)
        case "^": result = pow(a, b)
        case "<": result = truth(a < b)
        case "<=": result = truth(a <= b)
        case ">": result = truth(a > b)
        case ">=": result = truth(a >= b)
        case "==": result = truth(a == b)
        default: result = truth(a != b) // "!="
        }
        return result.isFinite ? result : nil
    }

    /// Every argument's value; `children` stands for all the children's values.
    private func values(_ arguments: [FormulaNode]) throws(FormulaError) -> [Double?] {
        var all: [Double?] = []
        for argument in arguments {
            if case .children = argument { all += children } else { all.append(try evaluate(argument)) }
        }
        return all
    }

    private func call(_ name: String, _ arguments: [FormulaNode]) throws(FormulaError) -> Double? {
        switch name {
        case "if":
            guard let condition = try evaluate(arguments[0]) else { return nil }
            return try evaluate(condition != 0 ? arguments[1] : arguments[2])
        case "coalesce":
            for argument in arguments { if let value = try evaluate(argument) { return value } }
            return nil
        case "abs":
            return try evaluate(arguments[0]).map(Swift.abs)
        case "round":
            guard let value = try evaluate(arguments[0]) else { return nil }
            let digits = arguments.count == 2 ? try evaluate(arguments[1]) : 0
            guard let digits, digits >= 0, digits <= 10 else { return nil }
            let scale = pow(10, digits.rounded())
            return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
        default:
            let present = try values(arguments).compactMap { $0 }
            if name == "count" { return Double(present.count) }
            guard !present.isEmpty else { return nil }
            switch name {
            case "min": return present.min()
            case "max": return present.max()
            case "sum": return present.reduce(0, +)
            default: return present.reduce(0, +) / Double(present.count) // avg
            }
        }
    }
}
