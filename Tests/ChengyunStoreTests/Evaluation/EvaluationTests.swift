import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// One working day of a small centre, scripted minute by minute, and its evaluation computed by
/// hand (docs/domain.md §6 default weights).
@Suite struct EvaluationTests {
    /// Tuesday 24 Nov 2026 at hh:mm Beijing time.
    static func at(_ hour: Int, _ minute: Int) -> Int64 {
        Int64(LocalDate(year: 2026, month: 11, day: 24).dayNumber) * 86_400_000 + Int64((hour - 8) * 60 + minute)
            * 60_000
    }

    @Test(arguments: TestBackend.available) func aScriptedDayScoresAsComputedByHand(backend: TestBackend) async throws {
        let clock = TestClock(Self.at(9, 0))
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let inspector = f.staff(.inspector, in: f.streetA), supervisor = f.staff(.supervisor),
                intake = f.staff(.intake)
            let dispatcher = f.staff(.dispatcher)
            let handler = f.staff(.handler, in: f.district, department: f.districtSanitation)
            // The evaluated people are real users: register the principals' twins.
            let ids = try await Users.make(platform, f, [inspector, supervisor, intake, dispatcher, handler])
            let inspectorU = ids[0], supervisorU = ids[1], intakeU = ids[2], dispatcherU = ids[3], handlerU = ids[4]
            func act(_ id: String, _ input: CaseActionInput, _ actor: Principal, at time: (Int, Int)) async throws {
                clock.set(Self.at(time.0, time.1))
                _ = try await platform.cases.act(caseId: id, input, by: actor)
            }
            func report(_ matter: Matter, lon: Double, by actor: Principal) async throws -> String {
                try await platform.cases.report(
                    NewReport(
                        matterId: matter.id, description: "x", lon: lon, lat: 31.3004,
                        reporterContact: "13900000000"), by: actor
                ).case.id
            }
            // 09:00 the inspector reports three piles of garbage ~95 m apart; a citizen reports a dirty road.
            let c1 = try await report(f.garbage, lon: 120.6005, by: inspectorU)
            let c2 = try await report(f.garbage, lon: 120.6015, by: inspectorU)
            let c3 = try await report(f.garbage, lon: 120.6025, by: inspectorU)
            let c4 = try await report(f.dirtyRoad, lon: 120.6028, by: f.citizen)
            try await act(c1, CaseActionInput(.file), supervisorU, at: (9, 10)) // auto-dispatched
            try await act(c2, CaseActionInput(.file), supervisorU, at: (9, 10))
            try await act(c3, CaseActionInput(.reject, note: "不属实"), supervisorU, at: (9, 10))
            try await act(c4, CaseActionInput(.accept), intakeU, at: (9, 40)) // accept limit 30 min: late
            try await act(c4, CaseActionInput(.verify, verified: true), inspectorU, at: (9, 50))
            try await act(c4, CaseActionInput(.file), supervisorU, at: (9, 55)) // no rule: waits
            try await act(
                c4, CaseActionInput(.dispatch, departmentIds: [f.citySanitation.id]), dispatcherU, at: (10, 0))
            try await act(c1, CaseActionInput(.complete, note: "done"), handlerU, at: (11, 0))
            try await act(c1, CaseActionInput(.pass), inspectorU, at: (11, 30))
            try await act(c1, CaseActionInput(.close), supervisorU, at: (11, 40))
            // c2's 4 working hours from 09:10 ran out at 15:10 (the lunch break does not count).
            try await act(c2, CaseActionInput(.complete, note: "done"), handlerU, at: (15, 30))
            try await act(c2, CaseActionInput(.fail, note: "rework"), inspectorU, at: (15, 40))
            try await act(c2, CaseActionInput(.complete, note: "done again"), handlerU, at: (16, 0))
            try await act(c2, CaseActionInput(.pass), inspectorU, at: (16, 10))
            try await act(c2, CaseActionInput(.close), supervisorU, at: (16, 20))

            let day = Int64(LocalDate(year: 2026, month: 11, day: 24).dayNumber) * 86_400_000 - 8 * 3_600_000
            let report = try await platform.evaluation.evaluate(from: day, to: day + 86_400_000, by: .system)
            func row(_ rows: [EvaluationRow], _ id: String) throws -> EvaluationRow {
                try #require(rows.first { $0.id == id })
            }
            func near(_ value: Double??, _ expected: Double?) -> Bool {
                switch (value ?? nil, expected) {
                case (nil, nil): true
                case let (v?, e?): abs(v - e) < 0.01
                default: false
                }
            }

            // Inspector: valid 2/3; missed 1 of the 3 filed in the street (the citizen's); verify 1/1, checks 3/3 on time.
            let i = try row(report.inspectors, inspectorU.id)
            #expect(near(i.figures["validReportRate"], 66.667) && near(i.figures["missedReportRate"], 33.333))
            #expect(near(i.figures["onTimeVerifyRate"], 100) && near(i.figures["onTimeCheckRate"], 100))
            // 66.667×0.4 + (100−33.333)×0.2 + 100×0.2 + 100×0.2 = 80
            #expect(near(i.score, 80) && i.grade == .B)

            // Intake: the one acceptance was late; no check dispatches, so that weight is shared out.
            let o = try row(report.intakeOperators, intakeU.id)
            #expect(near(o.figures["onTimeVerifyDispatchRate"], 0) && near(o.figures["countScore"], 100))
            #expect(near(o.score, 2500.0 / 65) && o.grade == .E)

            // Supervisor: 3 filings and 2 closings, all in time, none cancelled.
            let s = try row(report.supervisors, supervisorU.id)
            #expect(near(s.score, 100) && s.grade == .A)

            // Dispatcher: one dispatch, in time (the two automatic ones are the system's).
            #expect(near(try row(report.dispatchers, dispatcherU.id).score, 100))

            // District sanitation: 3 completions (c2 twice), 2 in time, 1 reworked, nothing overdue.
            let d = try row(report.departments, f.districtSanitation.id)
            #expect(near(d.figures["handled"], 3) && near(d.figures["closingRate"], 100))
            #expect(near(d.figures["onTimeHandlingRate"], 66.667) && near(d.figures["reworkRate"], 33.333))
            // 100×0.1 + 100×0.3 + 66.667×0.3 + (100−33.333)×0.3 = 80
            #expect(near(d.score, 80) && d.grade == .B)
            // City sanitation: c4's 2 working hours ran out at 12:00 unhandled: closing rate 0.
            let c = try row(report.departments, f.citySanitation.id)
            #expect(near(c.figures["closingRate"], 0) && near(c.figures["shouldClose"], 1))
            #expect(near(c.score, 0) && c.grade == .E)

            // 平江街道: filed 3 (2 by inspectors), closed 2, both within the case limit, the busiest street.
            let a = try row(report.streets, f.streetA.id)
            #expect(near(a.figures["supervisionReportRate"], 66.667) && near(a.figures["closingRate"], 66.667))
            #expect(near(a.figures["onTimeClosingRate"], 100) && near(a.figures["filedScore"], 100))
            // 66.667×0.2 + 66.667×0.3 + 100×0.3 + 100×0.2 = 83.33
            #expect(near(a.score, 83.333) && a.grade == .B)
            #expect(
                try row(report.streets, f.streetB.id).grade == .E,
                "a street with nothing filed scores only its volume, 0")
            #expect(report.inspectors.first?.id == inspectorU.id, "rows are ranked by score")

            // Another day has nothing to count.
            let quiet = try await platform.evaluation.evaluate(
                from: day + 86_400_000, to: day + 2 * 86_400_000, by: .system)
            #expect(try row(quiet.supervisors, supervisorU.id).score == nil)

            // An administrator weighs departments by on-time handling alone and scores streets'
            // filed counts by fixed bands: the same history now scores so.
            var weights = try await platform.evaluation.weights()
            #expect(weights == EvaluationWeights(), "nothing stored: the defaults")
            weights.department = [0, 0, 100, 0]
            weights.volumeBands = [VolumeBand(minimum: 0, score: 10), VolumeBand(minimum: 3, score: 50)]
            _ = try await platform.evaluation.setWeights(weights, by: .system)
            #expect(try await platform.evaluation.weights() == weights)
            let reweighed = try await platform.evaluation.evaluate(from: day, to: day + 86_400_000, by: .system)
            #expect(near(try row(reweighed.departments, f.districtSanitation.id).score, 66.667))
            // 66.667×0.2 + 66.667×0.3 + 100×0.3 + 50×0.2 = 73.33
            #expect(near(try row(reweighed.streets, f.streetA.id).score, 73.333))

            var lopsided = weights
            lopsided.inspector = [50, 50, 50]
            lopsided.volumeBands = [VolumeBand(minimum: 1, score: 120), VolumeBand(minimum: 1, score: 10)]
            do {
                _ = try await platform.evaluation.setWeights(lopsided, by: .system)
                Issue.record("weights that do not add up were stored")
            } catch let error as DomainError {
                let fields = Set(error.issues.map(\.field))
                #expect(fields == ["inspector", "volumeBands[0].score", "volumeBands"])
            }
            #expect(
                try await platform.evaluation.weights() == weights, "a refused change leaves the weights as they were")
        }
    }
}

/// Staff users behind the fixture's principals, so the evaluation can name them.
enum Users {
    static func make(_ platform: Platform, _ f: CaseFixture, _ principals: [Principal]) async throws -> [Principal] {
        var result: [Principal] = []
        for (index, p) in principals.enumerated() {
            let area = p.scope?.areaId ?? f.city.id
            let user = try await platform.people.createUser(
                NewUser(
                    username: "staff.\(index)", displayName: "人员\(index)", password: "Staff-Pass-2026",
                    roles: Array(p.roles),
                    areaId: area, departmentId: p.departmentId), by: .system)
            result.append(.staff(user))
        }
        return result
    }
}
