import ChengyunCore
import ChengyunStore
import Hummingbird

/// Warnings and supervision over HTTP: my warnings, my subscriptions, supervision orders (issue, read, answer),
/// and the policy of when supervision starts by itself and what its letters say.
struct SupervisionController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(.get, "warnings", .allStaff) { request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.supervision.warnings(
                        openOnly: try request.queryBool("open") ?? true,
                        subscribed: try request.queryBool("subscribed") ?? false, by: principal)))
        }
        routes.on(.get, "warning-subscriptions", .allStaff) { _, _, principal in
            JSONBody(Listing(items: try await platform.supervision.subscriptions(by: principal)))
        }
        routes.on(.post, "warning-subscriptions", .allStaff) { request, context, principal in
            let input = try await request.decodeStrict(NewWarningSubscription.self, context: context)
            return JSONBody(try await platform.supervision.subscribe(input, by: principal), status: .created)
        }
        routes.on(.delete, "warning-subscriptions/{id}", .allStaff) { _, context, principal in
            try await platform.supervision.unsubscribe(id: try context.id(), by: principal)
            return JSONBody(Listing(items: try await platform.supervision.subscriptions(by: principal)))
        }
        routes.on(.get, "supervision-orders", .allStaff) { request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.supervision.orders(
                        caseId: request.query("caseId"), taskId: request.query("taskId"),
                        unansweredOnly: try request.queryBool("unanswered") ?? false, by: principal)))
        }
        routes.on(.post, "supervision-orders", .staff([.leader, .admin])) { request, context, principal in
            let input = try await request.decodeStrict(NewSupervisionOrder.self, context: context)
            return JSONBody(try await platform.supervision.issue(input, by: principal), status: .created)
        }
        routes.on(.get, "supervision-orders/{id}", .allStaff) { _, context, principal in
            JSONBody(try await platform.supervision.order(id: try context.parameters.require("id"), by: principal))
        }
        routes.on(.post, "supervision-orders/{id}/read", .allStaff) { _, context, principal in
            JSONBody(
                try await platform.supervision.acknowledge(
                    orderId: try context.parameters.require("id"), response: nil, by: principal))
        }
        routes.on(.post, "supervision-orders/{id}/response", .allStaff) { request, context, principal in
            let input = try await request.decodeStrict(SupervisionResponse.self, context: context)
            return JSONBody(
                try await platform.supervision.acknowledge(
                    orderId: try context.parameters.require("id"), response: input.response,
                    by: principal))
        }
        routes.on(.get, "supervision/policy", .staff([.leader, .admin, .supervisor])) { _, _, _ in
            JSONBody(try await platform.supervision.policy())
        }
        routes.on(.put, "supervision/policy", .platformAdmin) { request, context, principal in
            let policy = try await request.decodeStrict(SupervisionPolicy.self, context: context)
            return JSONBody(try await platform.supervision.setPolicy(policy, by: principal))
        }
        return routes
    }

}
