import ChengyunCore
import Foundation
import ChengyunStore
import Hummingbird

/// Learned dispatch (智能分拨) over HTTP: a case's advice for the dispatcher, the trained model
/// versions with their held-out figures, training on demand, and the administrators' policy.
struct DispatchController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "cases/{id}/dispatch-advice", .staff([.dispatcher, .supervisor, .intake, .leader, .admin]),
            RouteDoc(
                "Where a case in the caller's scope should go: the routing rule that covers it (it wins), the learned model's top three departments with confidence and reason, and whether filing would dispatch it at once",
                .cases, alsoShared: [.notFound, .validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.dispatch.advice(caseId: try context.parameters.require("id"), by: principal))
        }
        routes.on(
            .get, "matter-suggestions", .staff([.intake, .supervisor, .dispatcher, .leader, .admin]),
            RouteDoc(
                "The matters a description is most likely about, from the learned model (the 12345 form suggests them as the operator types), among a public category's matters when one is named",
                .cases, parameters: [.query("text", required: true), .query("category")],
                answers: [.problem(400, "No text"), .problem(422, "unknown_category")])
        ) { request, _, _ in
            guard let text = request.query("text"), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw Problem.badRequest(
                    "missing_field", "Give the description to suggest matters for.",
                    errors: [FieldIssue(field: "text", code: "missing_field", message: "Required.")])
            }
            return JSONBody(
                try await platform.dispatch.suggestMatters(
                    text: String(text.prefix(2000)), category: request.query("category")))
        }
        routes.on(
            .get, "dispatch/models", .staff([.leader, .admin, .dispatcher, .supervisor]),
            RouteDoc(
                "The learned dispatch model's versions, newest first, each with the cases it learned from and how it routed the newer 30 % it had not seen",
                .cases)
        ) { _, _, _ in
            JSONBody(Listing(items: try await platform.dispatch.versions()))
        }
        routes.on(
            .post, "dispatch/models", .platformAdmin,
            RouteDoc(
                "Train a new version now on every closed case and dispatcher's correction (the schedule trains one every day)",
                .cases, status: 201,
                answers: [.problem(409, "concurrent_update: another node trained at the same moment")])
        ) { _, _, principal in
            JSONBody(try await platform.dispatch.train(trigger: "demand", by: principal), status: .created)
        }
        routes.on(
            .get, "dispatch/policy", .staff([.leader, .admin, .dispatcher, .supervisor]),
            RouteDoc(
                "Whether the learned model dispatches filed cases, at what confidence, and how fast old cases fade",
                .cases)
        ) { _, _, _ in
            JSONBody(try await platform.dispatch.policy())
        }
        routes.on(
            .put, "dispatch/policy", .platformAdmin,
            RouteDoc(
                "Replace the learned dispatch policy (threshold 0.5 to 1, half-life 7 to 3650 days)", .cases,
                body: .json(DispatchPolicy.self))
        ) { request, context, principal in
            let policy = try await request.decodeStrict(DispatchPolicy.self, context: context)
            return JSONBody(try await platform.dispatch.setPolicy(policy, by: principal))
        }
        return routes
    }
}
