import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird

/// Emergency incidents (突发事件) and the response to them: report, activate a plan, change the
/// level, log, tasks, resources, close and review.
struct IncidentsController {
    let platform: Platform
    static let reporters = Access.staff([.intake, .supervisor, .dispatcher, .leader, .admin])
    static let commanders = Access.staff([.supervisor, .leader, .admin])
    static let taskReporters = Access.staff([.handler, .supervisor, .dispatcher, .leader, .admin])

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "emergency/incidents", .allStaff,
            RouteDoc(
                "Incidents in scope, newest first", .emergency,
                parameters: [
                    .query("status", .named(IncidentStatus.self)),
                    .query("drill", .boolean, "true: drills only; false: real incidents only"),
                ])
        ) { request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.incidents.list(
                        status: try request.queryEnum("status", IncidentStatus.self),
                        drill: try request.queryBool("drill"), by: principal)))
        }
        routes.on(
            .post, "emergency/incidents", Self.reporters,
            RouteDoc(
                "Report an incident (接报) in an area within scope (default the caller's own), by hand or from a case, alarm, warning or grid cell",
                .emergency, body: .json(NewIncident.self), status: 201)
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewIncident.self, context: context)
            return JSONBody(try await platform.incidents.open(input, by: principal), status: .created)
        }
        routes.on(
            .get, "emergency/incidents/{id}", .allStaff,
            RouteDoc(
                "An incident's command board: facts and level, suggested level, tasks, notices, resource requests, resources and log",
                .emergency, parameters: [.path("id", "the incident's id or number")])
        ) { _, context, principal in
            JSONBody(try await platform.incidents.board(try context.id(), by: principal))
        }
        routes.on(
            .get, "emergency/incidents/{id}/review", .allStaff,
            RouteDoc(
                "The post-incident review: each task's response and completion time against its deadline, resources asked for and assigned",
                .emergency)
        ) { _, context, principal in
            JSONBody(try await platform.incidents.review(try context.id(), by: principal))
        }
        routes.on(
            .post, "emergency/incidents/{id}/activation", Self.commanders,
            RouteDoc(
                "Activate a plan at a level: the command post, tasks, notices and resource requests in one transaction",
                .emergency, body: .json(PlanActivationInput.self),
                answers: [.problem(409, "already_active: a plan is active or the incident is closed")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(PlanActivationInput.self, context: context)
            return JSONBody(try await platform.incidents.activate(input, on: try context.id(), by: principal))
        }
        routes.on(
            .post, "emergency/incidents/{id}/level", Self.commanders,
            RouteDoc(
                "Raise or lower the level (升级/降级): tasks not yet taken up are re-planned at the new level",
                .emergency, body: .json(LevelChangeInput.self),
                answers: [.problem(409, "not_active or same_level")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(LevelChangeInput.self, context: context)
            return JSONBody(try await platform.incidents.changeLevel(input, on: try context.id(), by: principal))
        }
        routes.on(
            .post, "emergency/incidents/{id}/log", Self.reporters,
            RouteDoc(
                "Add a report, situation report (续报), decision or order to the log, with facts learnt", .emergency,
                body: .json(IncidentLogInput.self), status: 201, answers: [.problem(409, "incident_closed")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(IncidentLogInput.self, context: context)
            return JSONBody(
                try await platform.incidents.record(input, on: try context.id(), by: principal), status: .created)
        }
        routes.on(
            .post, "emergency/incidents/{id}/tasks/{taskId}/events", Self.taskReporters,
            RouteDoc(
                "Report on a task (accept, start, block with a reason, resume, complete): its departments' handlers or the command",
                .emergency, body: .json(IncidentTaskEventInput.self),
                answers: [.problem(409, "invalid_transition or not_active")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(IncidentTaskEventInput.self, context: context)
            return JSONBody(
                try await platform.incidents.report(
                    input, task: try context.id("taskId"), on: try context.id(), by: principal))
        }
        routes.on(
            .post, "emergency/incidents/{id}/resources", EmergencyController.dispatchers,
            RouteDoc(
                "Assign an available resource to the incident, against one of its requests when named", .emergency,
                body: .json(IncidentResourceInput.self),
                answers: [.problem(409, "resource_unavailable: only an available resource is assigned")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(IncidentResourceInput.self, context: context)
            return JSONBody(try await platform.incidents.assign(input, on: try context.id(), by: principal))
        }
        routes.on(
            .post, "emergency/incidents/{id}/resources/{resourceId}/events", Self.taskReporters,
            RouteDoc(
                "A crew's move on the incident (depart, arrive, leave, returnToBase, breakDown) with its position: the resource's own department or the command; logged on the incident",
                .emergency, body: .json(ResourceEventInput.self),
                answers: [
                    .problem(
                        409,
                        "resource_unavailable: its status does not allow the move; or not_active: the incident is not active"
                    )
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(ResourceEventInput.self, context: context)
            return JSONBody(
                try await platform.incidents.crewReport(
                    input, resource: try context.id("resourceId"), on: try context.id(), by: principal))
        }
        routes.on(
            .post, "emergency/incidents/{id}/materials", EmergencyController.dispatchers,
            RouteDoc(
                "Issue a depot's material to the incident, or give it back (giveBack): never more than the depot holds, never back more than was issued; logged on the incident",
                .emergency, body: .json(MaterialMoveInput.self),
                answers: [
                    .problem(
                        409,
                        "insufficient_stock, over_return, not_active, or concurrent_update: the stock moved meanwhile")
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(MaterialMoveInput.self, context: context)
            return JSONBody(try await platform.incidents.moveMaterials(input, on: try context.id(), by: principal))
        }
        routes.on(
            .post, "emergency/incidents/{id}/close", Self.commanders,
            RouteDoc(
                "Close the incident with a summary; tasks not yet taken up are withdrawn", .emergency,
                body: .json(IncidentCloseInput.self),
                answers: [.problem(409, "tasks_open: a task is under way; or incident_closed")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(IncidentCloseInput.self, context: context)
            return JSONBody(try await platform.incidents.close(input, on: try context.id(), by: principal))
        }
        routes.on(
            .post, "emergency/incidents/{id}/command", Self.commanders,
            RouteDoc(
                "Escalate the command up (上报) or hand it down (下放) to another centre whose area covers the scene, with the reason",
                .emergency, body: .json(CommandChangeInput.self),
                answers: [.problem(409, "same_command or incident_closed")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(CommandChangeInput.self, context: context)
            return JSONBody(try await platform.incidents.moveCommand(input, on: try context.id(), by: principal))
        }
        routes.on(
            .get, "emergency/tasks", .allStaff,
            RouteDoc("The open tasks of the caller's department in active incidents, soonest due first", .emergency)
        ) { _, _, principal in
            JSONBody(Listing(items: try await platform.incidents.myTasks(by: principal)))
        }
        routes.on(
            .get, "emergency/statistics", Self.commanders,
            RouteDoc(
                "Emergency statistics of the incidents in scope reported within a period: counts by level and type, minutes to activation, task response and on-time rate; drills counted apart",
                .emergency,
                parameters: [
                    .query("from", .instant, "epoch ms or ISO 8601; default a year ago"),
                    .query("to", .instant, "epoch ms or ISO 8601; default now"),
                ])
        ) { request, _, principal in
            let to = try request.queryInstant("to") ?? platform.now()
            let from = try request.queryInstant("from") ?? to - 365 * 86_400_000
            return JSONBody(try await platform.incidents.statistics(from: from, to: to, by: principal))
        }
        routes.on(
            .get, "emergency/incidents/{id}/attachments/{attachmentId}", .authenticated,
            RouteDoc(
                "A photo or file on an incident's log, to staff who may see the incident", .emergency,
                success: .ok(.binary, "The file"),
                answers: [
                    .problem(403, "Outside scope, or not staff"), .problem(404, "Not found or not this incident's"),
                ],
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            let (attachment, data) = try await platform.files.read(
                incidentId: try context.id(), attachmentId: try context.id("attachmentId"), by: principal)
            return AttachmentsController.file(attachment, data)
        }
        routes.on(
            .get, "emergency/crews", .allStaff,
            RouteDoc(
                "The caller's department's resources at work on incidents (assigned to returning), each with its incident and the moves its crew may report",
                .emergency)
        ) { _, _, principal in
            JSONBody(Listing(items: try await platform.incidents.crewAssignments(by: principal)))
        }
        return routes
    }
}
