import ChengyunCore
import ChengyunStore
import HummingbirdTesting
import Testing

/// The GET routes the scope test reads as lists, and those that are not scoped by area.
extension ScopeTests {
    /// Lists whose every item must lie in the caller's scope.
    static let lists: Set<String> = [
        "/api/v1/alarms", "/api/v1/devices", "/api/v1/cases", "/api/v1/areas", "/api/v1/grid-cells",
        "/api/v1/departments", "/api/v1/users", "/api/v1/api-keys", "/api/v1/emergency/resources",
        "/api/v1/emergency/incidents", "/api/v1/emergency/modes", "/api/v1/risk-map/hazards",
    ]
    // Platform-wide reference data (the catalogue, the calendar) and admin-only routes.
    static let unscoped: Set<String> = [
        "/api/v1/me", "/api/v1/categories", "/api/v1/openapi.json", "/api/v1/audit", "/api/v1/audit/verify",
        "/api/v1/cluster",
        "/api/v1/matters", "/api/v1/matters/{id}", "/api/v1/matters/{id}/versions",
        "/api/v1/matters/export", "/api/v1/calendar", "/api/v1/routing-rules", "/api/v1/device-kinds",
        "/api/v1/alarm-rules", "/api/v1/alarm-rules/{id}",
        // Emergency plans are the platform's, like the catalogue.
        "/api/v1/emergency/plans", "/api/v1/emergency/plans/{id}", "/api/v1/emergency/plans/{id}/versions",
        "/api/v1/emergency/road-network", "/api/v1/risk-map/categories",
        // A reporter's own reports: citizens only, or by number and contact (ReportFollowUpTests).
        "/api/v1/me/reports", "/api/v1/public/reports/{number}", "/api/v1/public/matters",
        "/api/v1/public/categories", "/api/v1/public/grid-cells",
        // Matters for a description: the catalogue's, no case behind them (MatterSuggestionTests).
        "/api/v1/matter-suggestions",
        // The data catalog: published metadata is the city's; drafts stay with their owners
        // (DataCatalogServiceTests, DatasetRoutesTests); a pull and push keys are its owner's
        // (DatasetPullTests, DatasetPushKeyTests).
        "/api/v1/datasets", "/api/v1/datasets/{code}", "/api/v1/public/datasets/{code}/schema",
        "/api/v1/datasets/{code}/pipeline", "/api/v1/datasets/{code}/loads", "/api/v1/datasets/{code}/records",
        "/api/v1/datasets/{code}/pull", "/api/v1/datasets/{code}/push-keys",
        // A service's calls are decided as its records would be, by grant (ServiceGatewayTests).
        "/api/v1/services/{code}/call/**",
    ]

    /// The video channel: an inspector sees the cameras of their street only, and reviews nothing
    /// (the reviewers' scope: VideoServiceTests, VideoRoutesTests).
    static func probeVideo(_ path: String, client: any TestClientProtocol, token: String, scopePath: String)
        async throws
    {
        let answer = try await client.call(.get, path.replacingOccurrences(of: "{id}", with: "X"), token: token)
        guard path == "/api/v1/video/cameras" else {
            #expect(answer.status == .forbidden, "GET \(path) let an inspector in")
            return
        }
        #expect(answer.status == .ok)
        for item in answer.json["items"] as? [[String: Any]] ?? [] {
            let areaPath = (item["device"] as? [String: Any])?["areaPath"] as? String ?? ""
            #expect(areaPath.hasPrefix(scopePath), "a camera of another street was listed")
        }
    }

    /// Exchange: an inspector consumes nothing and owns no dataset, so lists no application, reads
    /// none (the demo's grant is the centre's) and no dataset's access log; nor another's
    /// subscription.
    static func probeExchange(_ path: String, client: any TestClientProtocol, token: String, platform: Platform)
        async throws
    {
        let centre = Principal(
            kind: .staff, id: "scope-centre", name: "centre", roles: [.admin], scope: AreaScope(areaId: "", path: "/"))
        if path == "/api/v1/subscriptions" {
            let answer = try await client.call(.get, path, token: token)
            #expect(
                answer.status == .ok && (answer.json["items"] as? [Any])?.isEmpty == true,
                "another's subscription listed")
        } else if path.hasPrefix("/api/v1/subscriptions/{id}") {
            let theirs = try await platform.subscriptions.subscribe(.init(topic: .incident), by: centre)
            let url = path.replacingOccurrences(of: "{id}", with: theirs.subscription.id)
            #expect(try await client.call(.get, url, token: token).status == .notFound, "GET \(path) showed another's")
        } else if path == "/api/v1/access-applications" {
            for view in ["mine", "awaiting", "overseen"] {
                let answer = try await client.call(.get, "\(path)?view=\(view)", token: token)
                #expect(answer.status == .ok && (answer.json["items"] as? [Any])?.isEmpty == true, "view=\(view)")
            }
        } else if path.hasPrefix("/api/v1/access-applications/{id}") {
            let centre = Principal(
                kind: .staff, id: "scope-centre", name: "centre", roles: [.admin],
                scope: AreaScope(areaId: "", path: "/"))
            let grant = try #require(
                try await platform.exchange.list(.overseen, state: nil, page: PageRequest(), by: centre).items.first)
            let answer = try await client.call(
                .get, path.replacingOccurrences(of: "{id}", with: grant.id), token: token)
            #expect(answer.status == .notFound, "GET \(path) showed another's grant")
        } else {
            let url = path.replacingOccurrences(of: "{code}", with: "waste-sorting-points")
            #expect(try await client.call(.get, url, token: token).status == .forbidden)
        }
    }

    /// The work queue holds only cases of the caller's scope.
    static func probeQueue(client: any TestClientProtocol, token: String, scopePath: String) async throws {
        let answer = try await client.call(.get, "/api/v1/cases/queue", token: token)
        #expect(answer.status == .ok)
        for item in answer.json["items"] as? [[String: Any]] ?? [] {
            let path = (item["case"] as? [String: Any])?["areaPath"] as? String ?? ""
            #expect(path.hasPrefix(scopePath), "the queue holds a case outside scope")
        }
    }
}
