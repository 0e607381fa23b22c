@testable import ChengyunCore
import Testing

/// The indicator formula language: values worked out by hand, missing data, errors that point at
/// the place, and a law for all inputs (printing a random tree and reading it back gives the same
/// value as working the tree out directly).
@Suite struct FormulaTests {
    private let values: [String: Double?] = [
        "clean.garbage": 12, "clean.area_km2": 30, "tidy.rate": 0.85, "safe.none": nil, "order.vendors": 4,
    ]

    private func value(_ text: String, children: [Double?] = []) throws -> Double? {
        try Formula(text).evaluate(children: children) { name in
            guard let entry = values[name] else { return .unknown }
            return entry.map(Formula.Binding.value) ?? .missing
        }
    }

    @Test func arithmeticFollowsPrecedence() throws {
        #expect(try value("1 + 2 * 3") == 7)
        #expect(try value("(1 + 2) * 3") == 9)
        #expect(try value("2 ^ 3 ^ 2") == 512, "^ is right-associative: 2^(3^2)")
        #expect(try value("-2 ^ 2") == -4, "unary minus binds looser than ^")
        #expect(try value("7 % 4 + 10 / 4") == 5.5)
        #expect(try value("1.5e3 - .5") == 1499.5)
        // Exposed garbage per 10 km²: 12 cases over 30 km² → 4.
        #expect(try value("clean.garbage / clean.area_km2 * 10") == 4)
    }

    @Test func comparisonsAndLogicAreOneOrZero() throws {
        #expect(try value("tidy.rate >= 0.85") == 1)
        #expect(try value("tidy.rate > 0.85 or order.vendors == 4") == 1)
        #expect(try value("not (order.vendors != 4) and 2 < 3") == 1)
        #expect(try value("!(1 < 2) || 0") == 0)
        #expect(try value("if(clean.garbage > 10, 100, 60)") == 100)
        #expect(try value("if(clean.garbage > 20, 100, 60)") == 60)
    }

    @Test func functionsAndChildren() throws {
        #expect(try value("min(3, 1, 2) + max(3, 1, 2)") == 4)
        #expect(try value("avg(children)", children: [80, 90, nil, 70]) == 80, "a child without a value is skipped")
        #expect(try value("sum(children, 10)", children: [1, 2]) == 13)
        #expect(try value("count(children)", children: [1, nil, 3]) == 2)
        #expect(try value("round(2 / 3, 2)") == 0.67)
        #expect(try value("round(2.5)") == 3)
        #expect(try value("abs(-4) + coalesce(safe.none, order.vendors)") == 8)
        #expect(try Formula("avg(children) * 2").readsChildren && !(try Formula("avg(1, 2)").readsChildren))
        #expect(
            try Formula("clean.garbage / clean.area_km2 + if(tidy.rate > 1, order.vendors, 0)").references
                == ["clean.garbage", "clean.area_km2", "tidy.rate", "order.vendors"])
    }

    @Test func missingDataHasNoValueButIsNoError() throws {
        #expect(try value("safe.none + 1") == nil)
        #expect(try value("avg(safe.none, 4)") == 4)
        #expect(try value("avg(children)", children: [nil, nil]) == nil)
        #expect(try value("1 / 0") == nil, "division by zero has no value")
        #expect(try value("0 and safe.none") == 0, "and is settled by its first false side")
        #expect(try value("1 or safe.none") == 1)
        #expect(try value("safe.none or 1") == 1)
        #expect(try value("safe.none and 1") == nil)
        #expect(try value("if(safe.none > 1, 1, 2)") == nil)
    }

    @Test(arguments: [
        ("1 +", "unexpected_end", 1, 4),
        ("2 * (3 + 4", "unexpected_end", 1, 11),
        ("clean.garbage # 2", "unexpected_character", 1, 15),
        ("1 2", "unexpected_token", 1, 3),
        ("sqrt(4)", "unknown_function", 1, 1),
        ("if(1, 2)", "wrong_arity", 1, 1),
        ("round()", "wrong_arity", 1, 1),
        ("children + 1", "children_outside_aggregate", 1, 1),
        ("1 < 2 < 3", "unexpected_token", 1, 7),
        ("1 +\n  nothing.here", "unknown_name", 2, 3),
        ("1.2.3", "invalid_number", 1, 1),
        ("max(1, abs(children))", "children_outside_aggregate", 1, 12),
    ])
    func errorsPointAtThePlace(formula: String, code: String, line: Int, column: Int) {
        do {
            _ = try value(formula)
            Issue.record("\(formula) should fail with \(code)")
        } catch let error as FormulaError {
            #expect(error.code == code && error.line == line && error.column == column, "\(formula): \(error)")
        } catch {
            Issue.record("\(formula): \(error)")
        }
    }

    @Test func hugeOrDeepFormulasAreRefusedNotCrashes() {
        #expect(throws: FormulaError.self) { try Formula(String(repeating: "1+", count: 1_500) + "1") }
        let deep = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        #expect { try Formula(deep) } throws: { ($0 as? FormulaError)?.code == "too_deep" }
        let negations = String(repeating: "-", count: 500) + "1"
        #expect { try Formula(negations) } throws: { ($0 as? FormulaError)?.code == "too_deep" }
    }

    // MARK: - Property: print ∘ parse is the identity on values

    private indirect enum Tree {
        case number(Int), name(String), negate(Tree), binary(String, Tree, Tree), call(String, [Tree]), choose(
            Tree, Tree, Tree)

        var text: String {
            switch self {
            case .number(let n): "\(n)"
            case .name(let name): name
            case .negate(let inner): "(-\(inner.text))"
            case .binary(let op, let a, let b): "(\(a.text) \(op) \(b.text))"
            case .call(let name, let arguments): "\(name)(\(arguments.map(\.text).joined(separator: ", ")))"
            case .choose(let c, let a, let b): "if(\(c.text), \(a.text), \(b.text))"
            }
        }

        func value(_ names: [String: Double?]) -> Double? {
            switch self {
            case .number(let n): return Double(n)
            case .name(let name): return names[name] ?? nil
            case .negate(let inner): return inner.value(names).map { -$0 }
            case .binary(let op, let a, let b):
                guard let x = a.value(names), let y = b.value(names) else { return nil }
                switch op {
                case "+": return x + y
                case "-": return x - y
                case "*": return x * y
                case "<": return x < y ? 1 : 0
                default: return y == 0 ? nil : x / y
                }
            case .call(let name, let arguments):
                let present = arguments.compactMap { $0.value(names) }
                guard !present.isEmpty else { return nil }
                return name == "min" ? present.min() : present.max()
            case .choose(let c, let a, let b):
                guard let condition = c.value(names) else { return nil }
                return condition != 0 ? a.value(names) : b.value(names)
            }
        }
    }

    private func randomTree(_ depth: Int, _ rng: inout some RandomNumberGenerator) -> Tree {
        if depth == 0 || Int.random(in: 0..<4, using: &rng) == 0 {
            return Bool.random(using: &rng)
                ? .number(Int.random(in: -9...9, using: &rng))
                : .name(["clean.garbage", "clean.area_km2", "order.vendors", "safe.none"].randomElement(using: &rng)!)
        }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return .negate(randomTree(depth - 1, &rng))
        case 1:
            return .binary(
                ["+", "-", "*", "/", "<"].randomElement(using: &rng)!, randomTree(depth - 1, &rng),
                randomTree(depth - 1, &rng))
        case 2:
            return .call(
                Bool.random(using: &rng) ? "min" : "max",
                (0..<Int.random(in: 1...3, using: &rng)).map { _ in randomTree(depth - 1, &rng) })
        default: return .choose(randomTree(depth - 1, &rng), randomTree(depth - 1, &rng), randomTree(depth - 1, &rng))
        }
    }

    @Test func printedTreesReadBackToTheSameValue() throws {
        // Seeded, so a failure names the seed and tree that reproduce it.
        let seed: UInt64 = 2026
        var rng = SplitMix64(seed: seed)
        for index in 0..<500 {
            let tree = randomTree(5, &rng)
            let expected = tree.value(values)
            let got = try value(tree.text)
            if let expected, let got {
                #expect(
                    abs(expected - got) <= 1e-9 * max(1, abs(expected)), "seed \(seed), tree \(index): \(tree.text)")
            } else {
                #expect(
                    expected == nil && got == nil,
                    "seed \(seed), tree \(index): \(tree.text): \(String(describing: expected)) vs \(String(describing: got))"
                )
            }
        }
    }
}
