/// Where an emergency resource (应急资源: a vehicle, a team, a piece of equipment) stands in a
/// response. Only an available resource can be assigned; the status moves with what the crew
/// reports, and a resource can fall out of service from anywhere.
public enum ResourceStatus: String, Codable, CaseIterable, Sendable {
    case available
    case assigned
    case enRoute
    case onScene
    case returning
    case outOfService
}

/// What happens to a resource.
public enum ResourceEvent: String, Codable, CaseIterable, Sendable {
    /// A dispatcher gives it a task (派遣).
    case assign
    /// The crew sets out (出发).
    case depart
    /// The crew reaches the scene (到达).
    case arrive
    /// The crew leaves the scene (撤离).
    case leave
    /// Back at its base, ready again (归队).
    case returnToBase
    /// The assignment is withdrawn before the crew reaches the scene (取消).
    case release
    /// Broken down, crew unavailable, stock exhausted (停用).
    case breakDown
    /// Back in service after repair (恢复).
    case restore
}

extension ResourceStatus {
    /// The status after `event`, or `resource_unavailable` when the event is not open from here
    /// (above all: assigning a resource that is not available).
    public func after(_ event: ResourceEvent) throws(DomainError) -> ResourceStatus {
        guard let next = Self.transitions[self]?[event] else {
            throw DomainError(
                .conflict, code: .resourceUnavailable,
                "A resource that is \(rawValue) cannot take the event \(event.rawValue).")
        }
        return next
    }

    /// The events open from this status.
    public var openEvents: [ResourceEvent] {
        ResourceEvent.allCases.filter { Self.transitions[self]?[$0] != nil }
    }

    /// Whether the resource is committed to a response (counted against its depot or team).
    public var isCommitted: Bool { [.assigned, .enRoute, .onScene].contains(self) }

    private static let transitions: [ResourceStatus: [ResourceEvent: ResourceStatus]] = [
        .available: [.assign: .assigned, .breakDown: .outOfService],
        .assigned: [.depart: .enRoute, .release: .available, .breakDown: .outOfService],
        .enRoute: [.arrive: .onScene, .release: .available, .breakDown: .outOfService],
        .onScene: [.leave: .returning, .breakDown: .outOfService],
        .returning: [.returnToBase: .available, .breakDown: .outOfService],
        .outOfService: [.restore: .available],
    ]
}
