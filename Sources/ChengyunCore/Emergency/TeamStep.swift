/// A team (队伍) and its members — the vehicles and equipment it takes out — kept in step: when the
/// team is assigned, each available member goes with it; when it sets out, arrives, leaves, returns
/// or is released, each member that went with it and stands where the team stood takes the same
/// step. A member elsewhere (out of service, out on an assignment of its own) stays where it is; a
/// team falling out of service or restored does not carry its members.
public enum TeamStep {
    /// The events a team's members follow.
    public static let followed: Set<ResourceEvent> = [.assign, .depart, .arrive, .leave, .returnToBase, .release]

    /// The members that take `event` with a team that was `before` it; `withTeam` names the members
    /// out on the team's assignment (an assignment takes every available member).
    public static func followers(
        of event: ResourceEvent, teamWas before: ResourceStatus, members: [EmergencyResource],
        withTeam: Set<String>
    ) -> [EmergencyResource] {
        guard followed.contains(event), before.openEvents.contains(event) else { return [] }
        return members.filter { $0.status == before && (event == .assign || withTeam.contains($0.id)) }
    }
}
