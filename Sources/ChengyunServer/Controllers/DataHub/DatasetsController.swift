import ChengyunCore
import ChengyunStore
import Hummingbird

/// The data catalog (资源目录): departments register and edit drafts of their datasets and
/// send them for review, the operation centre publishes them, and every member of staff reads
/// what is published. The public reads published metadata through the CKAN door.
struct DatasetsController {
    let platform: Platform

    /// Who registers and looks after datasets: departments' staff and administrators.
    static let owners = Access.staff([.handler, .admin])

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "datasets", .allStaff,
            RouteDoc(
                "The catalog by code: published datasets, and the unpublished ones the caller looks after (an administrator's area, a department's own). q searches code, titles, description, owner and tags.",
                .datahub,
                parameters: [
                    .query("q", .string, "words to find"), .query("state", .named(DatasetState.self)),
                    .query("sharingType", .named(SharingType.self)), .query("owner", .string, "owner department id"),
                    .query("tag", .string, "a whole tag"), .cursor, .limit,
                ])
        ) { request, _, principal in
            let query = DataCatalogService.Query(
                text: request.query("q"), states: try request.queryEnum("state", DatasetState.self).map { [$0] },
                sharingType: try request.queryEnum("sharingType", SharingType.self),
                ownerDepartmentId: request.query("owner"), tag: request.query("tag"))
            return JSONBody(
                try await platform.dataCatalog.search(query, page: try request.pageRequest(), by: principal))
        }
        routes.on(
            .get, "datasets/{code}", .allStaff,
            RouteDoc(
                "A dataset: its metadata, fields and lineage (published, or one the caller looks after)", .datahub,
                parameters: [Self.code])
        ) { _, context, principal in
            JSONBody(
                try await platform.dataCatalog.dataset(code: try context.parameters.require("code"), by: principal))
        }
        routes.on(
            .post, "datasets", Self.owners,
            RouteDoc(
                "Register a dataset as a draft (目录注册), owned by the department named (the caller's own by default); sharing other than unconditional states its conditions or basis",
                .datahub, body: .json(DatasetDraft.self), status: 201,
                answers: [
                    .problem(403, "not_dataset_owner: not the caller's department nor in an administrator's area"),
                    .problem(409, "code_taken"),
                ])
        ) { request, context, principal in
            let draft = try await request.decodeStrict(DatasetDraft.self, context: context)
            return JSONBody(try await platform.dataCatalog.register(draft, by: principal), status: .created)
        }
        routes.on(
            .put, "datasets/{code}", Self.owners,
            RouteDoc(
                "Rewrite a draft's metadata (the code stays)", .datahub, parameters: [Self.code],
                body: .json(DatasetDraft.self),
                answers: [.problem(403, "not_dataset_owner"), .problem(409, "not_draft")])
        ) { request, context, principal in
            let draft = try await request.decodeStrict(DatasetDraft.self, context: context)
            return JSONBody(
                try await platform.dataCatalog.update(
                    code: try context.parameters.require("code"), draft, by: principal))
        }
        routes.on(
            .post, "datasets/{code}/actions", Self.owners,
            RouteDoc(
                "Move a dataset along draft → under_review → published → withdrawn: submit and revise (the owner), approve and reject (the operation centre, someone other than the submitter), withdraw (either); reject and withdraw say why",
                .datahub, parameters: [Self.code], body: .json(DatasetActionInput.self),
                answers: [
                    .problem(403, "not_dataset_reviewer (approve and reject are the centre's), not the owner's"),
                    .problem(409, "invalid_transition, own_submission"),
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(DatasetActionInput.self, context: context)
            return JSONBody(
                try await platform.dataCatalog.act(
                    code: try context.parameters.require("code"), input.action, note: input.note, by: principal))
        }
        routes.onPublic(
            .get, "public/datasets/{code}/schema",
            RouteDoc(
                "A published dataset's records as a JSON Schema (draft 2020-12) made from its fields; x-key names the record key",
                .datahub, parameters: [Self.code], outcome: "The schema")
        ) { request, context in
            let code = try context.parameters.require("code")
            let dataset = try await platform.dataCatalog.dataset(code: code, by: nil)
            return JSONBody(DatasetSchema(dataset, id: Self.schemaURL(request, code: code)))
        }
        return routes
    }

    static let code = RouteParameter.path("code", "the dataset's code, e.g. city-cases")

    /// Where a dataset's schema is, as an absolute URL on the host the request came to.
    static func schemaURL(_ request: Request, code: String) -> String {
        "http://\(request.head.authority ?? "localhost")/api/v1/public/datasets/\(code)/schema"
    }
}
