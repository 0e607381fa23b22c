import ChengyunCore
import Testing

@Suite struct ResourceStatusTests {
    @Test func aResponseRunsItsCourse() throws {
        var status = ResourceStatus.available
        for (event, expected) in [
            (ResourceEvent.assign, ResourceStatus.assigned), (.depart, .enRoute), (.arrive, .onScene),
            (.leave, .returning), (.returnToBase, .available),
        ] {
            status = try status.after(event)
            #expect(status == expected)
        }
    }

    /// Availability is enforced at assignment: only an available resource takes a task.
    @Test func onlyAnAvailableResourceIsAssigned() {
        for status in ResourceStatus.allCases where status != .available {
            #expect(throws: DomainError.self) { try status.after(.assign) }
            do {
                _ = try status.after(.assign)
            } catch {
                #expect(error.code == .resourceUnavailable && error.kind == .conflict)
            }
        }
    }

    @Test func anAssignmentWithdrawnBeforeTheSceneFreesTheResource() throws {
        #expect(try ResourceStatus.assigned.after(.release) == .available)
        #expect(try ResourceStatus.enRoute.after(.release) == .available)
        #expect(throws: DomainError.self) { try ResourceStatus.onScene.after(.release) }
    }

    /// Over random event sequences: a refused event leaves the status as it was, an accepted one
    /// is one of those `openEvents` lists, a breakdown is open from anywhere in service, and only
    /// `restore` leaves `outOfService`.
    @Test func randomSequencesKeepTheLaws() {
        var random = SplitMix64(seed: 2026_1203)
        for _ in 0..<200 {
            var status = ResourceStatus.available
            for _ in 0..<40 {
                let event = ResourceEvent.allCases.randomElement(using: &random)!
                let open = status.openEvents
                if status != .outOfService { #expect(open.contains(.breakDown)) }
                do {
                    let next = try status.after(event)
                    #expect(open.contains(event))
                    if status == .outOfService { #expect(event == .restore && next == .available) }
                    if event == .assign { #expect(status == .available) }
                    status = next
                } catch {
                    #expect(!open.contains(event))
                }
            }
        }
    }

    @Test func committedMeansOnTheWayOrAtTheScene() {
        #expect(ResourceStatus.allCases.filter(\.isCommitted) == [.assigned, .enRoute, .onScene])
    }
}
