import ChengyunCore
import Testing

@Suite struct WartimeRuleTests {
    @Test func aRealIncidentAtTheThresholdOrGraverTriggersWartime() {
        #expect(Wartime.triggered(by: .ii, threshold: .ii, drill: false))
        #expect(Wartime.triggered(by: .i, threshold: .ii, drill: false))
        #expect(!Wartime.triggered(by: .iii, threshold: .ii, drill: false))
        #expect(!Wartime.triggered(by: .i, threshold: .ii, drill: true), "a drill never does")
        #expect(Wartime.triggered(by: .iv, threshold: .iv, drill: false))
        // Every level against every threshold: triggered exactly when at least as grave.
        for level in ResponseLevel.allCases {
            for threshold in ResponseLevel.allCases {
                #expect(
                    Wartime.triggered(by: level, threshold: threshold, drill: false)
                        == (level.severity >= threshold.severity))
            }
        }
    }

    @Test func theLevelNamesTheCentreThatLeads() {
        func area(_ id: String, _ level: AreaLevel) -> Area {
            Area(id: id, code: id, name: id, level: level, parentId: nil, path: "/", createdAt: 0, updatedAt: 0)
        }
        let chain = [
            area("city", .city), area("gusu", .district), area("pingjiang", .street), area("dongyuan", .community),
        ]
        #expect(ResponseLevel.allCases.map { $0.leadingArea(in: chain)?.id } == ["city", "city", "gusu", "pingjiang"])
        // Reported at the district: a Ⅳ incident is led there, the nearest centre above the street level.
        #expect(ResponseLevel.iv.leadingArea(in: Array(chain.prefix(2)))?.id == "gusu")
    }

    @Test func wartimeCoversTheAreaAndBelow() {
        #expect(Wartime.covers("/city/gusu/pingjiang/", wartimePaths: ["/city/gusu/"]))
        #expect(!Wartime.covers("/city/wuzhong/", wartimePaths: ["/city/gusu/"]))
        #expect(!Wartime.covers("/city/", wartimePaths: ["/city/gusu/"]), "not the city above it")
    }

    @Test func inWartimeASubscriptionHearsEveryLevelOfItsKinds() {
        let redOnly = WarningSubscription(
            id: "s", userId: "u", kinds: [.incidentTask], minLevel: .red, areaPath: "/", createdAt: 0)
        func warning(_ kind: Warning.Kind, _ level: AlarmSeverity) -> Warning {
            Warning(
                id: "w", key: "k", kind: kind, level: level, targetType: "t", targetId: "t", areaPath: "/a/",
                departmentId: nil, title: "", detail: "", raisedAt: 0, updatedAt: 0)
        }
        #expect(!redOnly.matches(warning(.incidentTask, .yellow), wartime: false))
        #expect(redOnly.matches(warning(.incidentTask, .yellow), wartime: true))
        #expect(redOnly.matches(warning(.incidentTask, .blue), wartime: true))
        #expect(!redOnly.matches(warning(.caseStage, .red), wartime: true), "still only its kinds")
    }

    @Test func inWartimeTheEmergencysCasesComeFirstInTheirOrder() {
        // (number, area path, matter)
        let queue = [
            ("1", "/c/d/s1", "garbage"), ("2", "/c/d/s1", "gas"), ("3", "/c/e", "gas"), ("4", "/c/d/s2", "garbage"),
            ("5", "/c/d/s2", "gas"),
        ]
        func order(_ priority: [String: Set<String>]) -> [String] {
            Wartime.queueOrder(queue, path: { $0.1 }, matter: { $0.2 }, priority: priority).map(\.0)
        }
        #expect(order([:]) == ["1", "2", "3", "4", "5"], "peacetime: as it came")
        #expect(order(["/c/d": ["gas"]]) == ["2", "5", "1", "3", "4"], "the district's gas cases first")
        #expect(order(["/c/d/s2": ["gas", "garbage"]]) == ["4", "5", "1", "2", "3"])
        // A permutation always, and nothing outside wartime moves ahead of a priority case.
        let moved = order(["/c/d": ["gas"], "/c/e": ["gas"]])
        #expect(moved.sorted() == ["1", "2", "3", "4", "5"] && moved.prefix(3).sorted() == ["2", "3", "5"])
    }
}
