@testable import ChengyunCore
import Foundation
import Testing

/// The indicator tree: checked when built, worked out in one pass in dependency order, coloured
/// by its four thresholds in the indicator's bad direction — all by hand.
@Suite struct IndicatorTreeTests {
    /// city ← clean ← (garbage density, road dust); the city score averages its children.
    private let tree: [Indicator] = [
        Indicator(
            code: "city", name: "城市管理", unit: "分", direction: .higherIsBetter,
            thresholds: [.yellow: 80, .orange: 70, .red: 60], source: .formula("avg(children)")),
        Indicator(
            code: "city.clean", name: "市容环境", parentCode: "city", unit: "分", direction: .higherIsBetter,
            source: .formula("100 - 5 * city.clean.garbage_density - city.clean.dust")),
        Indicator(
            code: "city.clean.garbage_density", name: "暴露垃圾（每 10 km²）", parentCode: "city.clean", unit: "件",
            thresholds: [.blue: 1, .yellow: 2, .red: 4], source: .formula("city.clean.garbage / city.area * 10")),
        Indicator(
            code: "city.clean.garbage", name: "暴露垃圾案件", parentCode: "city.clean", unit: "件",
            source: .cases(measure: "reported", matterPrefix: "E0102")),
        Indicator(
            code: "city.clean.dust", name: "道路扬尘", parentCode: "city.clean", unit: "µg/m³",
            source: .telemetry(kind: "environment", metric: "pm10", aggregate: "avg")),
        Indicator(code: "city.area", name: "建成区面积", parentCode: "city", unit: "km²", source: .imported),
    ]

    @Test func aTreeIsWorkedOutInDependencyOrder() throws {
        let checked = try IndicatorTree(tree)
        let index = { (code: String) in checked.order.firstIndex(of: code)! }
        #expect(
            index("city.clean.garbage") < index("city.clean.garbage_density")
                && index("city.area") < index("city.clean.garbage_density"))
        #expect(index("city.clean") < index("city"), "the city averages its children, so they come first")

        // 9 garbage cases over 30 km² → 3 per 10 km² (yellow: ≥ 2, not yet red at 4);
        // clean = 100 − 15 − 12 = 73; city = avg(73, 30 km²) = 51.5 → red (≤ 60).
        let results = Dictionary(
            uniqueKeysWithValues: try checked.compute(base: [
                "city.clean.garbage": 9, "city.clean.dust": 12, "city.area": 30,
            ]).map { ($0.code, $0) })
        #expect(
            results["city.clean.garbage_density"]
                == .init(code: "city.clean.garbage_density", value: 3, colour: .yellow))
        #expect(results["city.clean"]?.value == 73 && results["city.clean"]?.colour == nil)
        #expect(results["city"] == .init(code: "city", value: 51.5, colour: .red))

        // No telemetry today: the cleanliness score has no value, the city averages what it has.
        let gap = Dictionary(
            uniqueKeysWithValues: try checked.compute(base: [
                "city.clean.garbage": 0, "city.clean.dust": nil, "city.area": 90,
            ]).map { ($0.code, $0) })
        #expect(
            gap["city.clean"]?.value == nil && gap["city.clean.garbage_density"]?.value == 0
                && gap["city.clean.garbage_density"]?.colour == nil)
        #expect(gap["city"]?.value == 90 && gap["city"]?.colour == nil)
    }

    @Test func coloursFollowTheBadDirection() {
        let worse = Indicator(
            code: "a", name: "a", thresholds: [.blue: 1, .yellow: 2, .orange: 3, .red: 4], source: .imported)
        #expect([0.5, 1, 2.5, 3, 4, 99].map { worse.colour(of: $0) } == [nil, .blue, .yellow, .orange, .red, .red])
        let better = Indicator(
            code: "b", name: "b", direction: .higherIsBetter, thresholds: [.yellow: 90, .red: 80], source: .imported)
        #expect(
            ([95, 90, 85, 80, nil] as [Double?]).map { better.colour(of: $0) } == [nil, .yellow, .yellow, .red, nil])
    }

    @Test func badTreesAreRefusedWithTheFieldThatIsWrong() {
        func issues(_ indicators: [Indicator]) -> [String] {
            do {
                _ = try IndicatorTree(indicators)
                return []
            } catch let error as DomainError {
                return error.issues.map { "\($0.field):\($0.code)" }
            } catch {
                return ["\(error)"]
            }
        }
        #expect(
            issues([Indicator(code: "a", name: "a", source: .formula("b + 1"))]) == [
                "indicators[0].source.formula:unknown_name"
            ])
        #expect(
            issues([Indicator(code: "a", name: "a", source: .formula("1 +"))]) == [
                "indicators[0].source.formula:unexpected_end"
            ])
        #expect(
            issues([Indicator(code: "a", name: "a", parentCode: "z", source: .imported)]) == [
                "indicators[0].parentCode:unknown_parent"
            ])
        #expect(issues([Indicator(code: "A b", name: "a", source: .imported)]) == ["indicators[0].code:invalid_code"])
        #expect(
            issues([Indicator(code: "a", name: "a", thresholds: [.yellow: 5, .red: 3], source: .imported)]) == [
                "indicators[0].thresholds:thresholds_out_of_order"
            ])
        let deep = ["a", "a.b", "a.b.c", "a.b.c.d"].enumerated().map { index, code in
            Indicator(
                code: code, name: code, parentCode: index == 0 ? nil : ["a", "a.b", "a.b.c"][index - 1],
                source: .imported)
        }
        #expect(issues(deep) == ["indicators[3].parentCode:too_deep"])
        #expect(
            issues([
                Indicator(code: "a", name: "a", source: .formula("b")),
                Indicator(code: "b", name: "b", source: .formula("a * 2")),
            ])
                == ["indicators:cycle"])
        #expect(
            issues([
                Indicator(code: "a", name: "a", source: .formula("sum(children)")),
                Indicator(code: "a.x", name: "x", parentCode: "a", source: .formula("a")),
            ]) == ["indicators:cycle"],
            "a parent summing a child that reads the parent is a loop")
    }

    @Test func thresholdsAreWrittenByColourName() throws {
        let indicator = Indicator(code: "a", name: "a", thresholds: [.yellow: 2, .red: 4], source: .formula("1"))
        let json = String(decoding: try JSONEncoder().encode(indicator), as: UTF8.self)
        #expect(json.contains(#""yellow":2"#) && json.contains(#""red":4"#), "\(json)")
        #expect(try JSONDecoder().decode(Indicator.self, from: Data(json.utf8)) == indicator)
    }
}
