import ChengyunCore
import ChengyunStore
import Hummingbird

/// `GET /api/v1/cockpit`: the big screen's figures and map markers in the caller's area scope;
/// live changes then come from the monitoring stream.
struct CockpitController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "cockpit", .allStaff,
            RouteDoc(
                "The cockpit (驾驶舱): open and overdue cases per grid cell, today's reported/filed/closed, the on-time closing rate of the last 30 days, open alarms by severity, devices by state, cases per day by major category over 30 days, and the markers of open cases and alarms (at most 10,000 each) — all in the caller's area scope.",
                .cases, outcome: "The summary", answers: [.problem(403, "Not staff")])
        ) { _, _, principal in
            JSONBody(try await platform.cockpit.summary(by: principal))
        }
        return routes
    }
}
