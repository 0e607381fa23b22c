import ChengyunCore
import SQLKit

/// What a resource is doing for an incident, as its crew sees it on the phone: the resource, the
/// incident it works (its scene, level and number) and the moves the crew may report next.
public struct CrewAssignment: Codable, Equatable, Sendable {
    public var resource: EmergencyResource
    public var incident: Incident
    public var openEvents: [ResourceEvent]
}

/// The crews' side of a response (a team leader's phone): their resources' assignments, and their
/// moves reported from the field, logged on the incident in the transaction that moves them.
extension IncidentService {
    /// The resources of the caller's department at work on an incident (assigned, en route, on
    /// scene, returning), each with the incident it was last assigned to.
    public func crewAssignments(by actor: Principal) async throws -> [CrewAssignment] {
        guard let department = actor.departmentId else { return [] }
        return try await platform.pool.read { db in
            var assignments: [CrewAssignment] = []
            // Each incident read once, however many of the department's crews are on it.
            var read: [String: Incident?] = [:]
            for (resource, incidentId) in try await incidents.committedResources(
                department: department, scope: actor.listScope, on: db)
            {
                if read[incidentId] == nil { read[incidentId] = .some(try await incidents.find(incidentId, on: db)) }
                guard let incident = read[incidentId] ?? nil else { continue }
                let open = resource.status.openEvents.filter { CrewReport.events.contains($0) }
                assignments.append(CrewAssignment(resource: resource, incident: incident, openEvents: open))
            }
            return assignments
        }
    }

    /// A crew's move on an incident (出发, 到达, 撤离, 归队, 停用) with its position when reported:
    /// by the resource's own department or the command, on a resource this incident has now.
    public func crewReport(
        _ input: ResourceEventInput, resource resourceId: String, on id: String, by actor: Principal
    ) async throws -> EmergencyResource {
        var moved: EmergencyResource?
        _ = try await change(id, "incident.crew.\(input.event.rawValue)", by: actor) { incident, db, now in
            let service = EmergencyService(platform: platform)
            let resource = try await service.resource(id: resourceId, by: actor, on: db)
            guard try await incidents.currentIncident(of: resource.id, on: db) == incident.id else {
                throw DomainError.notFound("Resource \(resourceId) on incident \(incident.number)")
            }
            try CrewReport.check(
                input.event, incidentStatus: incident.status, resourceDepartment: resource.departmentId,
                actorDepartment: actor.departmentId,
                actorCommands: actor.has(anyOf: Self.commanders.union([.dispatcher])))
            let after = try await service.move(resource.id, input, by: actor, at: now, on: db)
            moved = after
            let reported = input.lon != nil && input.lat != nil ? after.position : nil
            let text = IncidentWording.crew(after, input.event, reported: reported, note: input.note)
            return [entry(incident, .resource, text, by: actor, at: now)]
        }
        return moved!
    }
}
