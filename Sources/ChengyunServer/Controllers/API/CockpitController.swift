import ChengyunCore
import ChengyunStore
import Hummingbird

/// `GET /api/v1/cockpit`: the big screen's figures and map markers in the caller's area scope;
/// live changes then come from the monitoring stream.
struct CockpitController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(.get, "cockpit", .allStaff) { _, _, principal in
            JSONBody(try await platform.cockpit.summary(by: principal))
        }
        return routes
    }
}
