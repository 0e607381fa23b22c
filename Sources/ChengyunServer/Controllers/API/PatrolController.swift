import ChengyunCore
import ChengyunStore
import Hummingbird

/// Patrol tasks over HTTP: supervisors and dispatchers send inspectors round grid cells; the
/// inspector checks each cell in on site and finishes the task.
struct PatrolController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(.get, "patrol-tasks", .staff([.inspector, .supervisor, .dispatcher, .admin, .leader])) {
            request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.patrol.tasks(
                        openOnly: try request.queryBool("open") ?? false, by: principal)))
        }
        routes.on(.post, "patrol-tasks", .staff([.supervisor, .dispatcher, .admin])) { request, context, principal in
            let input = try await request.decodeStrict(NewPatrolTask.self, context: context)
            return JSONBody(try await platform.patrol.create(input, by: principal), status: .created)
        }
        routes.on(.get, "patrol-tasks/inspectors", .staff([.supervisor, .dispatcher, .admin])) { _, _, principal in
            JSONBody(Listing(items: try await platform.patrol.inspectors(by: principal)))
        }
        routes.on(.get, "patrol-tasks/{id}", .staff([.inspector, .supervisor, .dispatcher, .admin, .leader])) {
            _, context, principal in
            JSONBody(try await platform.patrol.detail(id: try context.id(), by: principal))
        }
        routes.on(.post, "patrol-tasks/{id}/check-ins", .staff([.inspector])) { request, context, principal in
            let input = try await request.decodeStrict(NewPatrolCheckIn.self, context: context)
            return JSONBody(
                try await platform.patrol.checkIn(taskId: try context.id(), input, by: principal), status: .created)
        }
        routes.on(.post, "patrol-tasks/{id}/complete", .staff([.inspector])) { request, context, principal in
            let input = try await request.decodeStrict(PatrolTaskClosing.self, context: context)
            return JSONBody(
                try await platform.patrol.complete(taskId: try context.id(), note: input.note, by: principal))
        }
        routes.on(.post, "patrol-tasks/{id}/cancel", .staff([.supervisor, .dispatcher, .admin])) {
            request, context, principal in
            let input = try await request.decodeStrict(PatrolTaskClosing.self, context: context)
            return JSONBody(try await platform.patrol.cancel(taskId: try context.id(), note: input.note, by: principal))
        }
        return routes
    }
}
