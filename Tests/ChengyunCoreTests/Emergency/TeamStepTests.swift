import ChengyunCore
import Testing

/// A team's members follow its response steps from where the team stood, and nothing else.
@Suite struct TeamStepTests {
    private func member(_ id: String, _ status: ResourceStatus) -> EmergencyResource {
        let at = GeoPoint(lon: 120.6, lat: 31.3)
        return EmergencyResource(
            id: id, code: id, name: id, kind: .vehicle, capabilities: ["gas"], home: at, position: at, status: status,
            areaId: "a", areaPath: "/a", departmentId: nil, teamId: "team", createdAt: 0, updatedAt: 0)
    }

    @Test func membersWhereTheTeamStoodFollowIt() {
        let members = [
            member("van", .available), member("broken", .outOfService), member("away", .assigned),
            member("with", .assigned),
        ]
        let all = Set(members.map(\.id))
        #expect(
            TeamStep.followers(of: .assign, teamWas: .available, members: members, withTeam: []).map(\.id) == ["van"])
        #expect(
            TeamStep.followers(of: .depart, teamWas: .assigned, members: members, withTeam: ["with"]).map(\.id)
                == ["with"], "the van out on its own assignment stays")
        #expect(TeamStep.followers(of: .breakDown, teamWas: .available, members: members, withTeam: all).isEmpty)
        #expect(TeamStep.followers(of: .restore, teamWas: .outOfService, members: members, withTeam: all).isEmpty)
    }

    @Test func everyFollowerCanTakeTheStepAndNoOtherMemberIsCarried() {
        let members = ResourceStatus.allCases.map { member($0.rawValue, $0) }
        for before in ResourceStatus.allCases {
            for event in ResourceEvent.allCases {
                let followers = TeamStep.followers(
                    of: event, teamWas: before, members: members, withTeam: Set(members.map(\.id)))
                for follower in followers {
                    #expect(follower.status == before && (try? follower.status.after(event)) != nil)
                }
                let expected = TeamStep.followed.contains(event) && before.openEvents.contains(event)
                #expect(followers.count == (expected ? 1 : 0), "\(event) from \(before)")
            }
        }
    }
}
