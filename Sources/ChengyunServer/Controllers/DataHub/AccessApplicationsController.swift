import ChengyunCore
import ChengyunStore
import Hummingbird

/// Exchange (数据交换): access applications to published datasets, their decisions, the grant's
/// key, its use and the access logs.
struct AccessApplicationsController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        let exchange = platform.exchange
        routes.on(
            .post, "datasets/{code}/access-applications", .allStaff,
            RouteDoc(
                "Apply for access to a published dataset (共享申请) for the caller's department — or, a platform administrator without one, for a system of the centre's: a purpose, the fields needed, days (≤ 365), a rate a minute (≤ 600, 60) and a daily quota (≤ 1,000,000, 10,000). The owner department approves, and for conditional sharing the operation centre after it.",
                .datahub, parameters: [DatasetsController.code], body: .json(AccessApplicationInput.self), status: 201,
                answers: [
                    .problem(403, "no_department"),
                    .problem(409, "not_published, not_shared (不予共享), own_dataset, platform_dataset"),
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(AccessApplicationInput.self, context: context)
            return JSONBody(
                try await exchange.apply(code: try context.parameters.require("code"), input, by: principal),
                status: .created)
        }
        routes.on(
            .get, "access-applications", .allStaff,
            RouteDoc(
                "Access applications: view=mine (the caller's department's), awaiting (those waiting for a decision the caller gives: the owner's, or the centre's), overseen (all on the datasets the caller stands over)",
                .datahub,
                parameters: [
                    .query("view", .named("AccessView")), .query("state", .named(AccessState.self)),
                    .cursor, .limit,
                ])
        ) { request, _, principal in
            let view = try request.queryEnum("view", AccessService.View.self) ?? .mine
            return JSONBody(
                try await exchange.list(
                    view, state: try request.queryEnum("state", AccessState.self), page: try request.pageRequest(),
                    by: principal))
        }
        routes.on(
            .get, "access-applications/{id}", .allStaff,
            RouteDoc(
                "An access application: its consumer's, or on a dataset the caller stands over", .datahub,
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await exchange.application(id: try context.id(), by: principal))
        }
        routes.on(
            .post, "access-applications/{id}/actions", .allStaff,
            RouteDoc(
                "Decide on an application: approve or reject (the stage it awaits: the owner department, then the centre; never the consumer, never one person twice; reject says why), withdraw (the consumer, while pending), revoke (an approved grant: the owner or the centre saying why, or the consumer giving it up; its keys stop)",
                .datahub, body: .json(AccessActionInput.self),
                answers: [
                    .problem(403, "not_the_approver, own_application, not_your_application"),
                    .problem(409, "invalid_transition"),
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(AccessActionInput.self, context: context)
            return JSONBody(
                try await exchange.act(id: try context.id(), input.action, note: input.note, by: principal))
        }
        routes.on(
            .post, "access-applications/{id}/key", .allStaff,
            RouteDoc(
                "Collect the grant's key for the consumer's systems (the secret is shown once; a key collected before stops). The key reads this dataset's granted fields alone — the records route, or CKAN datastore_search with the key in Authorization — until the grant expires or is revoked.",
                .datahub, status: 201,
                answers: [.problem(403, "not_your_application"), .problem(409, "not_in_force")],
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await exchange.issueKey(id: try context.id(), by: principal), status: .created)
        }
        routes.on(
            .get, "access-applications/{id}/usage", .allStaff,
            RouteDoc(
                "A grant's use this minute and this city day against its rate and daily quota", .datahub,
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await exchange.usage(id: try context.id(), by: principal))
        }
        routes.on(
            .get, "access-applications/{id}/log", .allStaff,
            RouteDoc(
                "A grant's access log, newest first: each read, by whom, and what the meter said", .datahub,
                parameters: [.cursor, .limit], alsoShared: [.validationFailed, .badRequest])
        ) { request, context, principal in
            JSONBody(try await exchange.log(id: try context.id(), page: try request.pageRequest(), by: principal))
        }
        routes.on(
            .get, "datasets/{code}/access-log", DatasetsController.owners,
            RouteDoc(
                "A dataset's access log, every consumer, newest first (its owner and the centre)", .datahub,
                parameters: [DatasetsController.code, .cursor, .limit],
                answers: [.problem(403, "not_dataset_owner")])
        ) { request, context, principal in
            JSONBody(
                try await exchange.log(
                    code: try context.parameters.require("code"), page: try request.pageRequest(), by: principal))
        }
        return routes
    }
}

/// A decision on an access application, with the note a rejection or revocation needs.
public struct AccessActionInput: StrictInput {
    public var action: AccessAction
    public var note: String?

    public enum Fields: String, CodingKey, CaseIterable { case action, note }
}
