import ChengyunCore
import Testing

/// Who reports a crew's moves, and when: hand-picked cases, and the rule over every event,
/// incident status and caller.
@Suite struct CrewReportRuleTests {
    private func code(
        _ event: ResourceEvent, _ status: IncidentStatus = .active, resource: String? = "gas",
        actor: String? = "gas", commands: Bool = false
    ) -> ErrorCode? {
        do {
            try CrewReport.check(
                event, incidentStatus: status, resourceDepartment: resource, actorDepartment: actor,
                actorCommands: commands)
            return nil
        } catch { return error.code }
    }

    @Test func theCrewOrTheCommandReportsFieldMoves() {
        #expect(code(.depart) == nil)
        #expect(code(.arrive, actor: "fire") == "not_crew")
        #expect(code(.arrive, actor: "fire", commands: true) == nil)
        #expect(code(.depart, resource: nil, actor: nil) == "not_crew", "no department is nobody's crew")
        #expect(code(.assign) == "validation_failed", "assigning is the dispatcher's")
        #expect(code(.release, commands: true) == "validation_failed")
        #expect(code(.restore) == "validation_failed")
        #expect(code(.depart, .reported) == "not_active")
        #expect(code(.leave, .closed) == nil && code(.returnToBase, .closed) == nil)
        #expect(code(.arrive, .closed) == "not_active")
    }

    @Test func theRuleHoldsForEveryEventStatusAndCaller() {
        for event in ResourceEvent.allCases {
            for status in IncidentStatus.allCases {
                for (actor, commands) in [("gas", false), ("fire", false), ("fire", true)] {
                    let answer = code(event, status, actor: actor, commands: commands)
                    let crew = actor == "gas" || commands
                    let open = status == .active || (status == .closed && [.leave, .returnToBase].contains(event))
                    if !CrewReport.events.contains(event) {
                        #expect(answer == "validation_failed")
                    } else if !crew {
                        #expect(answer == "not_crew")
                    } else {
                        #expect(answer == (open ? nil : "not_active"), "\(event) on \(status)")
                    }
                }
            }
        }
    }
}
