import ChengyunCore
import ChengyunStore
import Hummingbird

/// Push keys (推送密钥): the dataset's owner makes a key for the system that feeds the dataset,
/// which then pushes its records to `POST /datasets/{code}/loads` as a file upload would go,
/// through the same pipeline; the owner lists and revokes them.
struct DatasetPushKeysController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        let code = DatasetsController.code
        let owner = RouteAnswer.problem(403, "not_dataset_owner")
        routes.on(
            .post, "datasets/{code}/push-keys", DatasetsController.owners,
            RouteDoc(
                "Make a push key for the system that feeds this dataset (its owner; the secret is shown once). The key, sent as X-API-Key or Authorization, loads into this dataset alone — POST /datasets/{code}/loads, at most ratePerMinute loads a minute (default 60), until it expires (days, at most and by default 365) or is revoked — and reads nothing that is not public.",
                .datahub, parameters: [code], body: .json(NewPushKey.self), status: 201,
                answers: [
                    owner, .problem(409, "dataset_withdrawn, is_service, no_key, too_many_push_keys (20 in force)"),
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewPushKey.self, context: context)
            return JSONBody(
                try await platform.datasetLoads.issuePushKey(
                    code: try context.parameters.require("code"), input, by: principal),
                status: .created)
        }
        routes.on(
            .get, "datasets/{code}/push-keys", DatasetsController.owners,
            RouteDoc(
                "A dataset's push keys, newest first, revoked and expired ones too, never their secrets (its owner's, whatever the dataset's state)",
                .datahub,
                parameters: [code], answers: [owner])
        ) { _, context, principal in
            JSONBody(
                Listing(
                    items: try await platform.datasetLoads.pushKeys(
                        code: try context.parameters.require("code"), by: principal)))
        }
        routes.on(
            .delete, "datasets/{code}/push-keys/{id}", DatasetsController.owners,
            RouteDoc(
                "Revoke one of a dataset's push keys (its owner): a load still arriving with it (its transaction not yet begun) does not commit, the next is refused (401); one revoked before is answered as it stands",
                .datahub,
                parameters: [code, .path("id", "the push key's id")], answers: [owner])
        ) { _, context, principal in
            JSONBody(
                try await platform.datasetLoads.revokePushKey(
                    code: try context.parameters.require("code"), id: try context.id(), by: principal))
        }
        return routes
    }
}
