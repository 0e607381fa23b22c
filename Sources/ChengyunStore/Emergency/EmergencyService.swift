import ChengyunCore
import Foundation
import SQLKit

/// The emergency resource registry (应急资源) and nearest dispatch (就近调度): administrators
/// register resources in their area; dispatchers move them through a response, the status machine
/// of `ResourceStatus` enforced in the same transaction as the change, and ask for the nearest
/// available ones to a scene.
public struct EmergencyService: Sendable {
    let platform: Platform
    let resources = ResourceRepository()

    public init(platform: Platform) { self.platform = platform }

    public func register(_ input: NewEmergencyResource, by actor: Principal) async throws -> EmergencyResource {
        let now = platform.now()
        return try await platform.write(
            actor, "emergency_resource.create", target: "emergency_resource",
            summary: { (r: EmergencyResource) in (r.id, "\(r.code) \(r.name)") }
        ) { db in
            var validator = Validator()
            let code = input.code.trimmingCharacters(in: .whitespaces)
            validator.check(
                code.range(of: #"^[A-Za-z0-9_.-]{1,40}$"#, options: .regularExpression) != nil, "code", "invalid_value",
                "1 to 40 letters, digits, '.', '_' or '-'.")
            validator.checkName(input.name)
            validator.check(
                (1...20).contains(input.capabilities.count)
                    && input.capabilities.allSatisfy {
                        $0.isLowerCode
                    },
                "capabilities", "invalid_value", "1 to 20 capabilities in lower case, e.g. fire, drainage, gas.")
            let home = GeoPoint(lon: input.lon, lat: input.lat)
            validator.check(home.isValid, "lon", "invalid_position", "A WGS-84 longitude and latitude.")
            try validator.finish()
            guard let areaId = input.areaId ?? actor.scope?.areaId else { throw DomainError.outOfScope() }
            let area = try await platform.organisation.area(id: areaId, by: actor, on: db)
            if let departmentId = input.departmentId {
                _ = try await platform.organisation.department(id: departmentId, by: actor, on: db)
            }
            if try await resources.find(code, on: db) != nil {
                throw DomainError(.conflict, code: "duplicate_code", "A resource with code \(code) exists.")
            }
            let team = try await input.teamId.asyncMap { key in
                guard let team = try await resources.find(key, on: db) else {
                    throw DomainError.validation([
                        FieldIssue(field: "teamId", code: "unknown_team", message: "No resource \(key).")
                    ])
                }
                try actor.requireScope(team.areaPath)
                return team
            }
            guard team == nil || (team?.kind == .team && input.kind != .team) else {
                throw DomainError.validation([
                    FieldIssue(
                        field: "teamId", code: "not_a_team", message: "A vehicle or piece of equipment joins a team.")
                ])
            }
            let tracker = try await input.trackerDevice.asyncMap { try await trackerDevice($0, by: actor, on: db) }
            let resource = EmergencyResource(
                id: Identifier.make(at: now), code: code, name: input.name.trimmingCharacters(in: .whitespaces),
                kind: input.kind, capabilities: Array(Set(input.capabilities)).sorted(), home: home, position: home,
                status: .available, areaId: area.id, areaPath: area.path, departmentId: input.departmentId,
                teamId: team?.id, trackerDeviceId: tracker?.id, createdAt: now, updatedAt: now)
            try await resources.insert(resource, on: db)
            return resource
        }
    }

    /// A device in scope whose kind tracks position, to follow a resource.
    private func trackerDevice(_ key: String, by actor: Principal, on db: any SQLDatabase) async throws -> Device {
        let found: Device?
        if let byId = try await DeviceRepository().find(id: key, on: db) {
            found = byId
        } else {
            found = try await DeviceRepository().find(code: key, on: db)
        }
        guard let device = found else {
            throw DomainError.validation([
                FieldIssue(field: "trackerDevice", code: "unknown_device", message: "No device \(key).")
            ])
        }
        try actor.requireScope(device.areaPath)
        guard try await DeviceService.kinds(on: db).first(where: { $0.code == device.kindCode })?.tracksPosition == true
        else {
            throw DomainError.validation([
                FieldIssue(
                    field: "trackerDevice", code: "not_a_tracker",
                    message: "\(device.code) is a \(device.kindCode), which does not report positions.")
            ])
        }
        return device
    }

    public func resource(id: String, by actor: Principal) async throws -> EmergencyResource {
        try await platform.pool.read { try await resource(id: id, by: actor, on: $0) }
    }

    func resource(id: String, by actor: Principal, on db: any SQLDatabase) async throws -> EmergencyResource {
        try actor.found(try await resources.find(id, on: db), "Resource", in: \.areaPath)
    }

    /// The resources in the caller's scope, of a kind, status or capability when asked.
    public func list(kind: ResourceKind?, status: ResourceStatus?, capability: String?, by actor: Principal)
        async throws -> [EmergencyResource]
    {
        let all = try await platform.pool.read {
            try await resources.list(scope: actor.listScope, kind: kind, status: status, on: $0)
        }
        return capability.map { wanted in all.filter { $0.capabilities.contains(wanted) } } ?? all
    }

    /// Moves a resource through a response: refused with `resource_unavailable` when its status
    /// does not allow the event (assigning a resource that is not available, above all), also when
    /// another dispatcher moved it first.
    public func apply(_ input: ResourceEventInput, to id: String, by actor: Principal) async throws
        -> EmergencyResource
    {
        let now = platform.now()
        return try await platform.write(
            actor, "emergency_resource.\(input.event.rawValue)", target: "emergency_resource",
            summary: { (r: EmergencyResource) in (r.id, "\(r.code) \(input.event.rawValue) → \(r.status.rawValue)") }
        ) { db in try await move(id, input, by: actor, at: now, on: db) }
    }

    /// `apply` in the caller's transaction (an incident assigning a resource, say).
    func move(_ id: String, _ input: ResourceEventInput, by actor: Principal, at now: Int64, on db: any SQLDatabase)
        async throws -> EmergencyResource
    {
        try await step(try await resource(id: id, by: actor, on: db), input, by: actor, at: now, on: db)
    }

    /// Moves a loaded resource, and a team's members with it (`TeamStep`).
    private func step(
        _ loaded: EmergencyResource, _ input: ResourceEventInput, by actor: Principal, at now: Int64,
        on db: any SQLDatabase
    ) async throws -> EmergencyResource {
        var resource = loaded
        let before = resource.status
        resource.status = try before.after(input.event)
        if let lon = input.lon, let lat = input.lat {
            let position = GeoPoint(lon: lon, lat: lat)
            guard position.isValid else {
                throw DomainError.validation([
                    FieldIssue(field: "lon", code: "invalid_position", message: "A WGS-84 longitude and latitude.")
                ])
            }
            resource.position = position
        } else if input.event == .returnToBase {
            resource.position = resource.home
        }
        resource.updatedAt = now
        guard try await resources.move(resource, from: before, on: db) else {
            throw DomainError(
                .conflict, code: .resourceUnavailable, "The resource changed while this was decided; look again.")
        }
        try await resources.insertEvent(
            resource: resource, event: input.event, from: before, actorId: actor.id, note: input.note, on: db)
        if resource.kind == .team {
            let members = try await resources.members(of: resource.id, on: db)
            // Out with the team: on the incident the team was last assigned to.
            let incidents = IncidentRepository()
            let teamIncident = try await incidents.currentIncident(of: resource.id, on: db)
            var withTeam: Set<String> = []
            for member in members where try await incidents.currentIncident(of: member.id, on: db) == teamIncident {
                withTeam.insert(member.id)
            }
            for member in TeamStep.followers(of: input.event, teamWas: before, members: members, withTeam: withTeam) {
                let along = ResourceEventInput(event: input.event, note: resource.code, lon: input.lon, lat: input.lat)
                _ = try await step(member, along, by: actor, at: now, on: db)
            }
        }
        return resource
    }

    /// The `count` available resources in the caller's scope, of `kind` and with `capability` when
    /// asked, nearest `scene`: by travel time over the road network once one is loaded, else by
    /// straight line.
    public func nearest(
        to scene: GeoPoint, kind: ResourceKind? = nil, capability: String?, count: Int, by actor: Principal
    ) async throws
        -> [DispatchSuggestion]
    {
        guard scene.isValid else {
            throw DomainError.validation([
                FieldIssue(field: "lon", code: "invalid_position", message: "A WGS-84 longitude and latitude.")
            ])
        }
        let available = try await platform.pool.read {
            try await resources.list(scope: actor.listScope, kind: kind, status: .available, on: $0)
        }
        let count = min(max(count, 1), 50)
        if let network = try await RoadNetworkService(platform: platform).network() {
            return RoadDispatch(network: network, candidates: available.map(\.candidate))
                .nearest(to: scene, capability: capability, count: count)
        }
        return NearestResources(available.map(\.candidate)).nearest(to: scene, capability: capability, count: count)
    }
}
