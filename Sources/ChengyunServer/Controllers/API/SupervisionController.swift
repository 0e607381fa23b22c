import ChengyunCore
import ChengyunStore
import Hummingbird

/// Warnings and supervision over HTTP: my warnings, my subscriptions, supervision orders (issue, read, answer),
/// and the policy of when supervision starts by itself and what its letters say.
struct SupervisionController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "warnings", .allStaff,
            RouteDoc(
                "Warnings in the caller's scope, newest first (a department's handlers: their department's); open ones unless open=false",
                .supervision,
                parameters: [
                    .query("open", .boolean),
                    .query("subscribed", .boolean, "only the warnings the caller's subscriptions match"),
                ])
        ) { request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.supervision.warnings(
                        openOnly: try request.queryBool("open") ?? true,
                        subscribed: try request.queryBool("subscribed") ?? false, by: principal)))
        }
        routes.on(
            .get, "warning-subscriptions", .allStaff, RouteDoc("The caller's warning subscriptions", .supervision)
        ) { _, _, principal in
            JSONBody(Listing(items: try await platform.supervision.subscriptions(by: principal)))
        }
        routes.on(
            .post, "warning-subscriptions", .allStaff,
            RouteDoc(
                "Subscribe to warnings of some kinds (none: all), from a colour up (default yellow), in an area within the caller's scope (default their own); matching warnings are reminded to the caller and listed by GET /warnings?subscribed=true",
                .supervision, body: .json(NewWarningSubscription.self), status: 201,
                answers: [.problem(409, "too_many_subscriptions (50)")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewWarningSubscription.self, context: context)
            return JSONBody(try await platform.supervision.subscribe(input, by: principal), status: .created)
        }
        routes.on(
            .delete, "warning-subscriptions/{id}", .allStaff,
            RouteDoc(
                "Remove one of the caller's subscriptions; answers the ones left", .supervision,
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            try await platform.supervision.unsubscribe(id: try context.id(), by: principal)
            return JSONBody(Listing(items: try await platform.supervision.subscriptions(by: principal)))
        }
        routes.on(
            .get, "supervision-orders", .allStaff,
            RouteDoc(
                "Supervision orders in the caller's scope (a department's handlers: those addressed to their department; an inspector: those addressed to them), newest first",
                .supervision, parameters: [.query("caseId"), .query("taskId"), .query("unanswered", .boolean)])
        ) { request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.supervision.orders(
                        caseId: request.query("caseId"), taskId: request.query("taskId"),
                        unansweredOnly: try request.queryBool("unanswered") ?? false, by: principal)))
        }
        routes.on(
            .post, "supervision-orders", .staff([.leader, .admin]),
            RouteDoc(
                "A leader orders an open case or patrol task in their scope sped up; the letter is rendered from the policy's template and sent to the case's departments or the task's inspector",
                .supervision, body: .json(NewSupervisionOrder.self), status: 201,
                answers: [.problem(409, "invalid_state: the case is not open")], alsoShared: [.notFound])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewSupervisionOrder.self, context: context)
            return JSONBody(try await platform.supervision.issue(input, by: principal), status: .created)
        }
        routes.on(
            .get, "supervision-orders/{id}", .allStaff,
            RouteDoc("One supervision order", .supervision, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.supervision.order(id: try context.parameters.require("id"), by: principal))
        }
        routes.on(
            .post, "supervision-orders/{id}/read", .allStaff,
            RouteDoc(
                "A recipient has read the order (the first reading is the receipt)", .supervision,
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(
                try await platform.supervision.acknowledge(
                    orderId: try context.parameters.require("id"), response: nil, by: principal))
        }
        routes.on(
            .post, "supervision-orders/{id}/response", .allStaff,
            RouteDoc(
                "A recipient answers the order (once)", .supervision, body: .json(SupervisionResponse.self),
                answers: [.problem(409, "invalid_state: answered already")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(SupervisionResponse.self, context: context)
            return JSONBody(
                try await platform.supervision.acknowledge(
                    orderId: try context.parameters.require("id"), response: input.response,
                    by: principal))
        }
        routes.on(
            .get, "supervision/policy", .staff([.leader, .admin, .supervisor]),
            RouteDoc("When supervision starts by itself and the letter template", .supervision)
        ) { _, _, _ in
            JSONBody(try await platform.supervision.policy())
        }
        routes.on(
            .put, "supervision/policy", .platformAdmin,
            RouteDoc(
                "Replace the policy; a template with an unknown placeholder is refused", .supervision,
                body: .json(SupervisionPolicy.self),
                answers: [
                    .problem(
                        403,
                        "Role not allowed or outside the caller's scope; cross_site_request (cookie-borne write from another site); platform_admin_required (an administrator below the whole platform)"
                    )
                ])
        ) { request, context, principal in
            let policy = try await request.decodeStrict(SupervisionPolicy.self, context: context)
            return JSONBody(try await platform.supervision.setPolicy(policy, by: principal))
        }
        return routes
    }

}
