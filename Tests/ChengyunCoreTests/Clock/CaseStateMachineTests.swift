import ChengyunCore
import Testing

@Suite struct CaseStateMachineTests {
    @Test func theMainPathRunsFromReportToClose() {
        var state = CaseSource.citizen.initialState(autoAccept: false)
        #expect(state == .reported)
        for (action, expected) in [
            (CaseAction.accept, CaseState.verifying), (.verify, .filing), (.file, .dispatching),
            (.dispatch, .handling), (.complete, .checking), (.pass, .closing), (.close, .closed),
        ] {
            let next = action.next(from: state, pending: nil)
            #expect(next == expected, "\(action) from \(state)")
            state = next ?? state
        }
        #expect(CaseAction.reopen.next(from: .closed, pending: nil) == .dispatching)
    }

    @Test func inspectorReportsSkipVerification() {
        #expect(CaseSource.inspector.initialState(autoAccept: false) == .filing)
        #expect(CaseSource.machine.initialState(autoAccept: true) == .filing)
        #expect(CaseSource.machine.initialState(autoAccept: false) == .reported)
        #expect(CaseSource.intake.initialState(autoAccept: false) == .verifying)
    }

    @Test func sidePathsNeedAnOpenRequestOfTheirKind() {
        #expect(CaseAction.requestExtension.next(from: .handling, pending: nil) == .handling)
        #expect(CaseAction.approveExtension.next(from: .handling, pending: nil) == nil, "nothing to approve")
        #expect(CaseAction.approveExtension.next(from: .handling, pending: .extension) == .handling)
        #expect(CaseAction.approveSuspension.next(from: .handling, pending: .extension) == nil, "the wrong request")
        #expect(CaseAction.approveSuspension.next(from: .handling, pending: .suspension) == .suspended)
        #expect(CaseAction.approveReturn.next(from: .handling, pending: .return) == .dispatching)
        #expect(CaseAction.requestReturn.next(from: .handling, pending: .extension) == nil, "one request at a time")
        #expect(CaseAction.complete.next(from: .handling, pending: .suspension) == nil, "settle the request first")
        #expect(CaseAction.fail.next(from: .checking, pending: nil) == .handling, "rework")
    }

    /// Property: from any state, an action either is refused or leads to a state; terminal states
    /// accept nothing but a reopen of a closed case; every state can be reached.
    @Test func randomWalksStayInsideTheMachine() {
        var rng = SplitMix64(seed: 315)
        var reached: Set<CaseState> = []
        for _ in 0..<2000 {
            var state = CaseSource.allCases[Int(rng.next() % 5)].initialState(autoAccept: rng.next() % 2 == 0)
            var pending: CaseRequestKind?
            for _ in 0..<40 {
                reached.insert(state)
                let action = CaseAction.allCases[Int(rng.next() % UInt64(CaseAction.allCases.count))]
                guard let next = action.next(from: state, pending: pending) else { continue }
                if state.isTerminal { #expect(state == .closed && action == .reopen) }
                if action.opensRequest { pending = action.request } else if action.settlesRequest { pending = nil }
                if next != .handling && next != .suspended { pending = nil }
                state = next
            }
        }
        #expect(reached.isSuperset(of: Set(CaseState.allCases)))
    }

    @Test func everyActionNamesItsRoles() {
        for action in CaseAction.allCases { #expect(!action.roles.isEmpty) }
        #expect(CaseAction.file.roles == [.supervisor])
        #expect(CaseAction.dispatch.roles == [.dispatcher])
        #expect(CaseAction.complete.roles == [.handler])
    }

    @Test func caseNumbersFollowTheDomainExample() {
        let number = CaseNumberPattern.standard.format(
            kind: .event, major: "01", minor: "02",
            date: LocalDate(year: 2026, month: 3, day: 15), sequence: 7)
        #expect(number == "E0102202603150007")
        #expect(
            CaseNumberPattern(pattern: "SZ-{kind}{date}-{seq:6}").format(
                kind: .component, major: "01", minor: "18",
                date: LocalDate(year: 2026, month: 11, day: 2),
                sequence: 42) == "SZ-C20261102-000042")
    }
}

@Suite struct RoutingRuleTests {
    let rules = [
        RoutingRule(id: "1", matterId: nil, areaId: "city", areaPath: "/c/", departmentIds: ["city-fallback"]),
        RoutingRule(id: "2", matterId: "garbage", areaId: "city", areaPath: "/c/", departmentIds: ["city-sanitation"]),
        RoutingRule(
            id: "3", matterId: "garbage", areaId: "gusu", areaPath: "/c/gusu/", departmentIds: ["gusu-sanitation"]),
        RoutingRule(
            id: "4", matterId: nil, areaId: "wuzhong", areaPath: "/c/wuzhong/", departmentIds: ["wuzhong-fallback"]),
    ]

    @Test func theMostSpecificAreaWins() {
        #expect(RoutingRule.resolve(rules, matterId: "garbage", areaPath: "/c/gusu/s1/")?.id == "3")
        #expect(RoutingRule.resolve(rules, matterId: "garbage", areaPath: "/c/xiangcheng/")?.id == "2")
        #expect(
            RoutingRule.resolve(rules, matterId: "garbage", areaPath: "/c/wuzhong/s1/")?.id == "4",
            "a district's fallback is more specific than the city's matter rule")
        #expect(RoutingRule.resolve(rules, matterId: "parking", areaPath: "/c/gusu/")?.id == "1")
        #expect(RoutingRule.resolve(rules, matterId: "parking", areaPath: "/elsewhere/") == nil)
    }
}

@Suite struct RoutingLearnerTests {
    @Test func learnsTheCityMajorityAndLocalExceptions() {
        func ex(_ matter: String, _ district: String, _ department: String) -> RoutingLearner.Example {
            RoutingLearner.Example(matterId: matter, areaIds: ["sz", district], departmentId: department)
        }
        // Garbage goes to the city's sanitation, except in gusu where the district handles it (3 cases).
        let examples = [
            ex("garbage", "wuzhong", "city-san"), ex("garbage", "wuzhong", "city-san"),
            ex("garbage", "xiangcheng", "city-san"),
            ex("garbage", "gusu", "gusu-san"), ex("garbage", "gusu", "gusu-san"), ex("garbage", "gusu", "gusu-san"),
            ex("parking", "gusu", "traffic"), ex("parking", "gusu", "traffic"),
            ex("noise", "wuzhong", "env"), ex("noise", "wuzhong", "enforcement"),
        ]
        let rules = RoutingLearner(minimumSupport: 3).learn(examples)
        let route = { (matter: String, district: String) in
            RoutingRule.resolve(rules, matterId: matter, areaPath: "/sz/\(district)/")?.departmentIds.first
        }
        #expect(route("garbage", "wuzhong") == "city-san")
        #expect(route("garbage", "gusu") == "gusu-san")
        #expect(route("parking", "xiangcheng") == "traffic", "a matter's city rule covers areas never seen")
        #expect(route("unknown", "gusu") == "city-san", "the fallback is the busiest department")
        // The fallback, city-wide rules for parking and noise (garbage's city majority is the
        // fallback's answer already, so it needs none), and gusu's exception for garbage.
        #expect(rules.count == 4)
    }
}
