/// A crew's report from the field (a team leader's phone, a driver's): the resource set out,
/// reached the scene, left it, is back at base, or broke down. Assigning and releasing are the
/// dispatcher's decisions and restoring the registry keeper's, never the crew's.
public enum CrewReport {
    /// The events a crew reports about its own resource.
    public static let events: Set<ResourceEvent> = [.depart, .arrive, .leave, .returnToBase, .breakDown]

    /// Whether `actor` may report `event` on a resource of `resourceDepartment` working an incident
    /// in `incidentStatus`: the crew (a staff member of the resource's own department) or the
    /// command; after the incident closes a crew still leaves the scene and returns to base.
    public static func check(
        _ event: ResourceEvent, incidentStatus: IncidentStatus, resourceDepartment: String?,
        actorDepartment: String?, actorCommands: Bool
    ) throws(DomainError) {
        guard events.contains(event) else {
            throw DomainError.validation([
                FieldIssue(
                    field: "event", code: "not_crew_event",
                    message:
                        "A crew reports depart, arrive, leave, returnToBase or breakDown; \(event.rawValue) is the dispatcher's."
                )
            ])
        }
        let crew = actorDepartment != nil && actorDepartment == resourceDepartment
        guard crew || actorCommands else {
            throw DomainError(
                .forbidden, code: "not_crew", "Only the resource's own department or the command report its moves.")
        }
        switch incidentStatus {
        case .active: return
        case .closed where event == .leave || event == .returnToBase: return
        case .reported, .closed:
            throw DomainError(
                .conflict, code: "not_active",
                "The incident is not active; a crew only leaves and returns once it closed.")
        }
    }
}
