@testable import ChengyunCore
import Foundation
import Testing

/// NGSI-LD's `q` over entities built by hand: each expectation read off the attributes below.
@Suite struct ContextQueryTests {
    /// pm25 80 observed at 1,000 ms; kind environment; online; two metrics listed.
    static let station = ContextEntity(
        id: "urn:ngsi-ld:Device:ENV-A", type: .device,
        attributes: [
            ContextAttribute("name", .text("平江环境站")), ContextAttribute("deviceCategory", .text("environment")),
            ContextAttribute("deviceState", .text("online")),
            ContextAttribute("location", .geoProperty, .point(GeoPoint(lon: 120.6, lat: 31.3))),
            ContextAttribute("controlledProperty", .texts(["noise", "pm25"])),
            ContextAttribute("dateLastValueReported", .time(1_000)),
            ContextAttribute("pm25", .number(80), observedAt: 1_000), ContextAttribute("noise", .number(52.5)),
        ])

    private func matches(_ q: String) throws -> Bool { try ContextQuery.parse(q).matches(Self.station) }

    @Test func comparisons() throws {
        #expect(try matches("pm25==80") && matches("pm25>79.5") && matches("pm25>=80") && matches("pm25<=80"))
        #expect(try !matches("pm25>80") && !matches("pm25<80") && !matches("pm25!=80"))
        #expect(try matches(#"deviceCategory=="environment""#) && matches("deviceCategory==environment"))
        #expect(try matches(#"name=="平江环境站""#) && matches(#"deviceState!="offline""#))
        // Text against a number compares as neither: not equal, not greater.
        #expect(try !matches(#"pm25=="80""#) && !matches(#"pm25>"70""#) && matches(#"pm25!="80""#))
    }

    @Test func listsRangesAndExistence() throws {
        #expect(try matches("pm25==70..90") && !matches("pm25==81..90") && matches("pm25!=81..90"))
        #expect(try matches("deviceState==offline,online") && !matches("deviceState==offline,maintenance"))
        #expect(try matches("pm25") && !matches("pm10") && !matches("pm10!=3"))
        #expect(try matches("controlledProperty==pm25") && !matches("controlledProperty==so2"))
    }

    @Test func andBindsTighterThanOr() throws {
        // false;true|true = (false and true) or true
        #expect(try matches("pm25>100;noise>50|deviceState==online"))
        // false;(true|true) = false
        #expect(try !matches("pm25>100;(noise>50|deviceState==online)"))
        #expect(try matches("(pm25>100|noise>50);deviceState==online"))
    }

    @Test func timesAndPatterns() throws {
        #expect(
            try matches("pm25.observedAt==1970-01-01T00:00:01Z") && !matches("noise.observedAt>=1970-01-01T00:00:00Z"))
        #expect(try matches("dateLastValueReported<1970-01-01T00:00:02.000Z"))
        #expect(try matches("name~=环境站$") && !matches("name!~=环境站$") && matches("deviceCategory~=^env"))
        #expect(try matches(String(repeating: "(", count: 16) + "pm25" + String(repeating: ")", count: 16)))
    }

    @Test func refusals() {
        for bad in [
            "", "pm25>>1", "pm25==", "(pm25==1", "pm25==1)", "a[b]==1", "pm25.unitCode==x", "name~=(", "==3",
            String(repeating: "a", count: 1001), "name~=(.*)*X", "name~=(a+)+$", "name~=(ab){2,}", "name~=.*.*.*.*.*x",
            String(repeating: "(", count: 17) + "pm25" + String(repeating: ")", count: 17),
        ] {
            #expect(throws: ContextQueryError.self, "\(bad)") { try ContextQuery.parse(bad) }
        }
    }

    /// For random terms over the station, `;` is and, `|` is or, and `!=` is not `==` on an
    /// attribute the entity has.
    @Test func connectivesAgreeWithTheirParts() throws {
        var generator = SystemRandomNumberGenerator()
        let names = ["pm25", "noise", "deviceState", "pm10"]
        let values = ["52.5", "80", "online", "0..60", "80,81", #""x""#]
        let operators = ["==", "!=", ">", "<=", ">="]
        func term() -> String {
            let name = names.randomElement(using: &generator)!
            let op = operators.randomElement(using: &generator)!
            var value = values.randomElement(using: &generator)!
            if !op.hasSuffix("=") || op == ">=" || op == "<=" { value = value.replacingOccurrences(of: "..", with: "") }
            if op != "==" && op != "!=" { value = value.split(separator: ",").first.map(String.init) ?? value }
            return "\(name)\(op)\(value)"
        }
        for _ in 0..<500 {
            let (a, b) = (term(), term())
            let (x, y) = (try matches(a), try matches(b))
            #expect(try matches("\(a);\(b)") == (x && y), "\(a);\(b)")
            #expect(try matches("\(a)|\(b)") == (x || y), "\(a)|\(b)")
            if a.contains("==") {
                let name = String(a.prefix { $0 != "=" })
                let unequal = a.replacingOccurrences(of: "==", with: "!=")
                #expect(try matches(unequal) == (Self.station.attribute(name) != nil && !x), "\(unequal)")
            }
        }
    }

    @Test func patternsAreCompiledOnceAndStillMatchWhole() {
        #expect(
            ContextPattern.wholeMatch("ENV-32.*", "ENV-3205") && !ContextPattern.wholeMatch("ENV-32.*", "XENV-3205"))
        #expect(ContextPattern.compiled("ENV-32.*") === ContextPattern.compiled("ENV-32.*"), "kept")
        #expect(!ContextPattern.wholeMatch("(", "(") && ContextPattern.compiled("(") == nil, "not a pattern: no match")
        // Past the cache's size it starts again, and every pattern still answers for itself.
        for n in 0...ContextPattern.cacheSize {
            #expect(ContextPattern.wholeMatch("D\(n)", "D\(n)") && !ContextPattern.wholeMatch("D\(n)", "D\(n)0"))
        }
        #expect(ContextPattern.wholeMatch("ENV-32.*", "ENV-32"))
    }
}
