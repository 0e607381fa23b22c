import Foundation
import Testing

@testable import ChengyunCore

/// The case loop's step decided without a database: refusals, the stage clocks a step finishes
/// and starts, reclassification and merge, with instants counted by hand on a round-the-clock
/// calendar (working minutes are wall minutes).
@Suite struct CaseStepTests {
    static let t0: Int64 = 1_796_083_200_000 // 2026-12-01 00:00 UTC
    static let minute: Int64 = 60_000
    static let always = WorkCalendar(
        name: "always", weekPeriods: Array(repeating: [WorkPeriod(start: 0, end: 1440)], count: 7))
    static let matter = Matter(
        id: "m1", version: 3, kind: .event, majorCode: "01", minorCode: "02", name: "暴露垃圾",
        limits: [
            MatterLimits(
                urgency: .normal,
                stages: [
                    StageLimit(.accept, TimeLimit(30, .minutes)), StageLimit(.dispatch, TimeLimit(30, .minutes)),
                    StageLimit(.handle, TimeLimit(2, .hours)),
                ], total: TimeLimit(1, .days))
        ], updatedAt: 0)
    static let facts = CaseStep.Facts(calendar: always, matter: matter)
    static let scope = AreaScope(areaId: "city", path: "/1/")
    static let dispatcher = Principal(kind: .staff, id: "u-d", name: "张派遣员", roles: [.dispatcher], scope: scope)
    static let supervisor = Principal(kind: .staff, id: "u-s", name: "李值班长", roles: [.supervisor], scope: scope)

    /// A case waiting for dispatch since t0, its 30-minute dispatch clock running.
    static func dispatching() -> Case {
        var record = Case(
            id: "C1", number: "E0102202612010001", kind: .event, matterId: "m1", matterVersion: 3, majorCode: "01",
            minorCode: "02", urgency: .normal, state: .dispatching, source: .inspector, description: "垃圾",
            lon: 120.6, lat: 31.3, areaId: "a2", areaPath: "/1/2/", reporterKind: "staff", departmentIds: [],
            duplicateCount: 0, reopenCount: 0, reworkCount: 0, extensionCount: 0, customFields: [:],
            reportedAt: t0, updatedAt: t0, revision: 4)
        CaseStep.startClock(&record, stage: .dispatch, matter: matter, at: t0, on: always)
        return record
    }

    static func refusal(_ body: () throws -> Any) -> DomainError? {
        do {
            _ = try body()
            return nil
        } catch let error as DomainError { return error } catch { return nil }
    }

    @Test func dispatchFinishesItsStageAndStartsHandling() throws {
        var facts = Self.facts
        facts.activeDepartmentIds = ["d-san", "d-mun"]
        let now = Self.t0 + 20 * Self.minute
        let outcome = try CaseStep.apply(
            CaseActionInput(.dispatch, departmentIds: ["d-san", "d-mun"]), to: Self.dispatching(), facts: facts,
            by: Self.dispatcher, at: now)
        #expect(outcome.record.state == .handling && outcome.record.departmentIds == ["d-san", "d-mun"])
        #expect(outcome.record.revision == 5 && outcome.event.seq == 5 && outcome.record.updatedAt == now)
        #expect(outcome.event.fromState == .dispatching && outcome.event.toState == .handling)
        #expect(outcome.event.detail == #"{"departments":"d-san,d-mun"}"#)
        let finished = try #require(outcome.finishedStage)
        #expect(finished.stage == .dispatch && finished.onTime == true && finished.usedMillis == 20 * Self.minute)
        #expect(finished.deadline == Self.t0 + 30 * Self.minute && finished.endedBy == "dispatch")
        // Handling's clock: two hours from now.
        #expect(outcome.record.stageClock?.startedAt == now)
        #expect(outcome.record.stageDeadline == now + 120 * Self.minute)
        #expect(outcome.absorbed == nil)
    }

    @Test func eachRefusalHasItsCode() {
        // An unknown department, by its index.
        var facts = Self.facts
        facts.activeDepartmentIds = ["d-san"]
        let unknown = Self.refusal {
            try CaseStep.apply(
                CaseActionInput(.dispatch, departmentIds: ["d-san", "d-gone"]), to: Self.dispatching(), facts: facts,
                by: Self.dispatcher, at: Self.t0)
        }
        #expect(unknown?.issues.map(\.field) == ["departmentIds[1]"])
        #expect(unknown?.issues.map(\.code) == ["unknown_department"])
        // Not the dispatcher's role; not a state that can be closed; not in scope.
        let role = Self.refusal {
            try CaseStep.apply(
                CaseActionInput(.dispatch, departmentIds: ["d-san"]), to: Self.dispatching(), facts: facts,
                by: Self.supervisor, at: Self.t0)
        }
        #expect(role?.code == "action_not_allowed")
        let state = Self.refusal {
            try CaseStep.apply(
                CaseActionInput(.close), to: Self.dispatching(), facts: facts, by: Self.supervisor, at: Self.t0)
        }
        #expect(state?.code == "invalid_transition")
        let elsewhere = Principal(
            kind: .staff, id: "u-x", name: "x", roles: [.dispatcher], scope: AreaScope(areaId: "b", path: "/9/"))
        let scope = Self.refusal {
            try CaseStep.apply(
                CaseActionInput(.dispatch, departmentIds: ["d-san"]), to: Self.dispatching(), facts: facts,
                by: elsewhere, at: Self.t0)
        }
        #expect(scope?.code == .outOfScope)
    }

    @Test func aHandlerActsOnlyOnTheirDepartmentsCases() throws {
        var facts = Self.facts
        facts.activeDepartmentIds = ["d-san"]
        let handling = try CaseStep.apply(
            CaseActionInput(.dispatch, departmentIds: ["d-san"]), to: Self.dispatching(), facts: facts,
            by: Self.dispatcher, at: Self.t0
        ).record
        let other = Principal(
            kind: .staff, id: "u-h2", name: "吴", roles: [.handler], scope: Self.scope, departmentId: "d-mun")
        #expect(CaseStep.allowedActions(handling, by: other).isEmpty)
        let own = Principal(
            kind: .staff, id: "u-h1", name: "周", roles: [.handler], scope: Self.scope, departmentId: "d-san")
        #expect(CaseStep.allowedActions(handling, by: own).contains(.complete))
        let done = try CaseStep.apply(
            CaseActionInput(.complete, note: "已清理"), to: handling, facts: Self.facts, by: own,
            at: Self.t0 + 150 * Self.minute)
        // Two hours allowed, 150 minutes used: late, and the handling department's.
        #expect(done.finishedStage?.onTime == false && done.finishedStage?.departmentId == "d-san")
        #expect(done.record.state == .checking)
    }

    @Test func filingUnderAnotherMatterReclassifies() throws {
        var filing = Self.dispatching()
        filing.state = .filing
        var other = Self.matter
        (other.id, other.minorCode, other.version) = ("m2", "05", 7)
        var facts = Self.facts
        facts.filedMatter = other
        let outcome = try CaseStep.apply(
            CaseActionInput(.file, matterId: "m2", urgency: .urgent), to: filing, facts: facts, by: Self.supervisor,
            at: Self.t0)
        #expect(outcome.record.matterId == "m2" && outcome.record.minorCode == "05")
        #expect(outcome.record.matterVersion == 7 && outcome.record.urgency == .urgent)
        // The detail keeps the code the case had before.
        #expect(
            filing.matterCode != "E0105" && outcome.event.detail == #"{"reclassifiedFrom":"\#(filing.matterCode)"}"#)
        other.active = false
        facts.filedMatter = other
        let inactive = Self.refusal {
            try CaseStep.apply(
                CaseActionInput(.file, matterId: "m2"), to: filing, facts: facts, by: Self.supervisor, at: Self.t0)
        }
        #expect(inactive?.issues.map(\.code) == ["unknown_matter"])
    }

    @Test func acceptingUnderAnotherMatterTakesItsRulesAndNeedsItsFields() throws {
        var reported = Self.dispatching()
        reported.state = .reported
        var lights = Self.matter
        (lights.id, lights.majorCode, lights.minorCode, lights.version) = ("m3", "01", "18", 2)
        lights.kind = .component
        lights.limits[0].total = TimeLimit(2, .days)
        var facts = Self.facts
        facts.filedMatter = lights
        let intake = Principal(kind: .staff, id: "u-i", name: "王受理员", roles: [.intake], scope: Self.scope)
        let outcome = try CaseStep.apply(
            CaseActionInput(.accept, matterId: "m3"), to: reported, facts: facts, by: intake, at: Self.t0)
        #expect(outcome.record.state == .verifying && outcome.record.matterCode == "C0118")
        #expect(outcome.record.matterVersion == 2 && outcome.record.caseDeadline == Self.t0 + 2 * 1440 * Self.minute)
        #expect(outcome.event.detail == #"{"reclassifiedFrom":"E0102"}"#)
        // A matter whose required field the report left empty is refused, the case unchanged.
        lights.customFields = [CustomField(key: "size", label: "面积", datatype: .string, required: true)]
        facts.filedMatter = lights
        let refused = Self.refusal {
            try CaseStep.apply(
                CaseActionInput(.accept, matterId: "m3"), to: reported, facts: facts, by: intake, at: Self.t0)
        }
        #expect(refused?.issues.map(\.field) == ["customFields.size"])
    }

    @Test func aMergeIsCountedOnTheOpenOriginal() throws {
        var duplicate = Self.dispatching()
        duplicate.state = .filing
        duplicate.reporterName = "王先生"
        var original = Self.dispatching()
        (original.id, original.number, original.revision) = ("C0", "E0102202611300009", 9)
        var facts = Self.facts
        facts.mergeTarget = original
        let outcome = try CaseStep.apply(
            CaseActionInput(.merge, note: "重复", duplicateOf: "C0"), to: duplicate, facts: facts, by: Self.supervisor,
            at: Self.t0)
        #expect(outcome.record.state == .merged && outcome.record.duplicateOf == "C0")
        let absorbed = try #require(outcome.absorbed)
        #expect(absorbed.original.duplicateCount == 1 && absorbed.original.revision == 10)
        #expect(absorbed.event.seq == 10 && absorbed.event.action == "duplicate_merged")
        #expect(absorbed.event.note == "report E0102202612010001 merged as a duplicate")
        #expect(absorbed.reporter.caseId == "C0" && absorbed.reporter.reportCaseId == "C1")
        #expect(absorbed.reporter.name == "王先生")
        original.state = .closed
        facts.mergeTarget = original
        let closed = Self.refusal {
            try CaseStep.apply(
                CaseActionInput(.merge, duplicateOf: "C0"), to: duplicate, facts: facts, by: Self.supervisor,
                at: Self.t0)
        }
        #expect(closed?.issues.map(\.code) == ["unknown_case"])
    }

    /// For every state and action, the system (which may take any step) is refused exactly when
    /// the state machine has no transition, and otherwise lands where the table says.
    @Test func theStepFollowsTheTransitionTable() {
        for state in CaseState.allCases {
            for action in CaseAction.allCases {
                var record = Self.dispatching()
                record.state = state
                let input = CaseActionInput(
                    action, note: "n", verified: true, departmentIds: ["d"], minutes: 10, duplicateOf: "C0",
                    inspectorId: "u-i")
                var facts = Self.facts
                facts.activeDepartmentIds = ["d"]
                facts.filedMatter = Self.matter
                facts.inspector = User(
                    id: "u-i", username: "i", displayName: "刘", roles: [.inspector], areaId: "a", areaPath: "/1/",
                    departmentId: nil, phone: nil, createdAt: 0, updatedAt: 0)
                var target = Self.dispatching()
                target.id = "C0"
                facts.mergeTarget = target
                let expected = action.next(from: state, pending: nil)
                do {
                    let outcome = try CaseStep.apply(input, to: record, facts: facts, by: .system, at: Self.t0)
                    #expect(outcome.record.state == expected, "\(state) \(action)")
                } catch let error as DomainError {
                    #expect(expected == nil && error.code == "invalid_transition", "\(state) \(action): \(error)")
                } catch {
                    Issue.record("\(state) \(action): \(error)")
                }
            }
        }
    }
}
