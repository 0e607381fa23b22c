import ChengyunCore
import ChengyunStore
import Hummingbird

/// Scheduled HTTP pulls (定时拉取) of a dataset: its owner sets a URL answering CSV or JSON and an
/// interval; the leading node fetches it when due, conditionally, and loads what changed.
struct DatasetPullsController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        let code = DatasetsController.code
        let owner = RouteAnswer.problem(403, "not_dataset_owner")
        routes.on(
            .get, "datasets/{code}/pull", DatasetsController.owners,
            RouteDoc(
                "A dataset's scheduled pull and how its last run went (its owner's)", .datahub, parameters: [code],
                answers: [owner])
        ) { _, context, principal in
            JSONBody(try await platform.datasetPulls.pull(code: try context.parameters.require("code"), by: principal))
        }
        routes.on(
            .put, "datasets/{code}/pull", DatasetsController.owners,
            RouteDoc(
                "Set a dataset's scheduled pull (its owner): a URL answering the format, fetched every 15 to 10,080 minutes with If-None-Match and If-Modified-Since; the first pull is due at once",
                .datahub, parameters: [code], body: .json(PullInput.self),
                answers: [owner, .problem(409, "dataset_withdrawn, no_key")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(PullInput.self, context: context)
            return JSONBody(
                try await platform.datasetPulls.set(code: try context.parameters.require("code"), input, by: principal))
        }
        routes.on(
            .delete, "datasets/{code}/pull", DatasetsController.owners,
            RouteDoc(
                "Stop a dataset's scheduled pull", .datahub, parameters: [code], status: 204,
                success: .ok(nil, "Stopped", status: 204), answers: [owner])
        ) { _, context, principal in
            try await platform.datasetPulls.remove(code: try context.parameters.require("code"), by: principal)
            return Response.noContent()
        }
        routes.on(
            .post, "datasets/{code}/pull/run", DatasetsController.owners,
            RouteDoc(
                "Pull now, whatever the schedule: answers the pull with this run's outcome (loaded, not_modified, unchanged or failed with the reason)",
                .datahub, parameters: [code], answers: [owner, .problem(409, "pull_running")])
        ) { _, context, principal in
            JSONBody(
                try await platform.datasetPulls.runNow(code: try context.parameters.require("code"), by: principal))
        }
        return routes
    }
}
