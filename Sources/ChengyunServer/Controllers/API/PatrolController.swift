import ChengyunCore
import ChengyunStore
import Hummingbird

/// Patrol tasks over HTTP: supervisors and dispatchers send inspectors round grid cells; the
/// inspector checks each cell in on site and finishes the task.
struct PatrolController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "patrol-tasks", .staff([.inspector, .supervisor, .dispatcher, .admin, .leader]),
            RouteDoc(
                "Patrol tasks in the caller's scope, newest first (an inspector: their own); open ones only with open=true",
                .patrol, parameters: [.query("open", .boolean)])
        ) {
            request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.patrol.tasks(
                        openOnly: try request.queryBool("open") ?? false, by: principal)))
        }
        routes.on(
            .post, "patrol-tasks", .staff([.supervisor, .dispatcher, .admin]),
            RouteDoc(
                "Send an inspector round grid cells (ids or codes, within the caller's and the inspector's area) with a checklist by a deadline",
                .patrol, body: .json(NewPatrolTask.self), status: 201)
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewPatrolTask.self, context: context)
            return JSONBody(try await platform.patrol.create(input, by: principal), status: .created)
        }
        routes.on(
            .get, "patrol-tasks/inspectors", .staff([.supervisor, .dispatcher, .admin]),
            RouteDoc("The active inspectors in the caller's scope: whom a patrol task can be given to", .patrol)
        ) { _, _, principal in
            JSONBody(Listing(items: try await platform.patrol.inspectors(by: principal)))
        }
        routes.on(
            .get, "patrol-tasks/{id}", .staff([.inspector, .supervisor, .dispatcher, .admin, .leader]),
            RouteDoc(
                "A patrol task (by id or number) with its check-ins and the supervision orders on it", .patrol,
                alsoShared: [.validationFailed, .badRequest])
        ) {
            _, context, principal in
            JSONBody(try await platform.patrol.detail(id: try context.id(), by: principal))
        }
        routes.on(
            .post, "patrol-tasks/{id}/check-ins", .staff([.inspector]),
            RouteDoc(
                "The task's inspector checks in where they stand; the position must fall in one of the task's cells; the first check-in starts the task",
                .patrol, body: .json(NewPatrolCheckIn.self), status: 201,
                answers: [
                    .problem(409, "invalid_state: the task is done or cancelled"),
                    .problem(
                        400,
                        "invalid_json / unknown_field / missing_field / wrong_type / outside_task_cells (the position lies in none of the task's cells)"
                    ),
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewPatrolCheckIn.self, context: context)
            return JSONBody(
                try await platform.patrol.checkIn(taskId: try context.id(), input, by: principal), status: .created)
        }
        routes.on(
            .post, "patrol-tasks/{id}/complete", .staff([.inspector]),
            RouteDoc(
                "The task's inspector finishes it; a note is required when some cells were not checked in", .patrol,
                body: .json(PatrolTaskClosing.self), answers: [.problem(409, "invalid_state")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(PatrolTaskClosing.self, context: context)
            return JSONBody(
                try await platform.patrol.complete(taskId: try context.id(), note: input.note, by: principal))
        }
        routes.on(
            .post, "patrol-tasks/{id}/cancel", .staff([.supervisor, .dispatcher, .admin]),
            RouteDoc(
                "Call an open task off, with a reason", .patrol, body: .json(PatrolTaskClosing.self),
                answers: [.problem(409, "invalid_state")])
        ) {
            request, context, principal in
            let input = try await request.decodeStrict(PatrolTaskClosing.self, context: context)
            return JSONBody(try await platform.patrol.cancel(taskId: try context.id(), note: input.note, by: principal))
        }
        return routes
    }
}
