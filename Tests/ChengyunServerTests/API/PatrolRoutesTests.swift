import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Patrol tasks and warning subscriptions over HTTP in the demo city: the supervisor sends the
/// street inspector round a cell, the inspector checks in on site and finishes; a leader
/// subscribes to red patrol warnings and unsubscribes.
@Suite struct PatrolRoutesTests {
    @Test(arguments: TestBackend.available) func anInspectorPatrolsACellAndALeaderSubscribes(backend: TestBackend)
        async throws
    {
        try await withDemoClient(backend) { client, credentials, platform in
            let supervisor = try await client.login("supervisor", credentials.password(of: "supervisor"))
            let inspector = try await client.login(
                "inspector.pingjiang", credentials.password(of: "inspector.pingjiang"))
            let leader = try await client.login("leader", credentials.password(of: "leader"))
            let me = try await client.call(.get, "/api/v1/me", token: inspector).json
            let (inspectorId, scope) = (try #require(me["id"] as? String), try #require(me["areaPath"] as? String))
            let cell = try #require(
                try await platform.organisation.listGridCells(areaId: nil, page: PageRequest(limit: 500), by: .system)
                    .items
                    .first { $0.areaPath.hasPrefix(scope) })

            let deadline = platform.now() + 2 * 3_600_000
            let created = try await client.call(
                .post, "/api/v1/patrol-tasks", token: supervisor,
                json: """
                    {"title":"平江路夜间巡查","checklist":["暴露垃圾","井盖缺失"],"cells":["\(cell.code)"],"inspectorId":"\(inspectorId)","deadline":\(deadline)}
                    """)
            #expect(created.status == .created, "\(created.text)")
            let taskId = try #require(created.json["id"] as? String)
            #expect(
                (created.json["number"] as? String)?.hasPrefix("XC") == true && created.json["coverage"] as? Double == 0
            )
            let refused = try await client.call(
                .post, "/api/v1/patrol-tasks", token: supervisor,
                json: """
                    {"title":"","cells":["no-such-cell"],"inspectorId":"\(inspectorId)","deadline":1}
                    """)
            #expect(
                refused.status.code == 422
                    && Set((refused.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
                        == ["title", "cells[0]", "deadline"],
                "\(refused.text)")
            #expect(
                try await client.call(.post, "/api/v1/patrol-tasks", token: inspector, json: "{}").status == .forbidden)

            let mine = try await client.call(.get, "/api/v1/patrol-tasks?open=true", token: inspector)
            #expect((mine.json["items"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == taskId })

            let outside = try await client.call(
                .post, "/api/v1/patrol-tasks/\(taskId)/check-ins", token: inspector, json: #"{"lon":116.4,"lat":39.9}"#)
            #expect(outside.status == .badRequest && outside.problemCode == "outside_task_cells" && outside.isProblem)
            let centre = cell.geometry.centroid
            let checked = try await client.call(
                .post, "/api/v1/patrol-tasks/\(taskId)/check-ins", token: inspector,
                json: #"{"lon":\#(centre.lon),"lat":\#(centre.lat),"note":"无异常"}"#)
            #expect(
                checked.status == .created && checked.json["state"] as? String == "inProgress"
                    && checked.json["coverage"] as? Double == 1)
            #expect(
                try await client.call(.post, "/api/v1/patrol-tasks/\(taskId)/complete", token: supervisor, json: "{}")
                    .status == .forbidden)
            let done = try await client.call(
                .post, "/api/v1/patrol-tasks/\(taskId)/complete", token: inspector, json: "{}")
            #expect(
                done.status == .ok && done.json["state"] as? String == "done" && done.json["onTime"] as? Bool == true)
            let again = try await client.call(
                .post, "/api/v1/patrol-tasks/\(taskId)/complete", token: inspector, json: "{}")
            #expect(again.status == .conflict && again.problemCode == "invalid_state")
            let detail = try await client.call(.get, "/api/v1/patrol-tasks/\(taskId)", token: leader)
            #expect((detail.json["checkIns"] as? [[String: Any]])?.first?["cellCode"] as? String == cell.code)

            let subscribed = try await client.call(
                .post, "/api/v1/warning-subscriptions", token: leader,
                json: #"{"kinds":["patrolTask"],"minLevel":"red"}"#)
            #expect(subscribed.status == .created && subscribed.json["minLevel"] as? String == "red")
            let subscriptionId = try #require(subscribed.json["id"] as? String)
            let badKind = try await client.call(
                .post, "/api/v1/warning-subscriptions", token: leader, json: #"{"kinds":["nope"]}"#)
            #expect(badKind.status == .badRequest && badKind.isProblem)
            #expect(try await client.call(.get, "/api/v1/warnings?subscribed=true", token: leader).status == .ok)
            let listed = try await client.call(.get, "/api/v1/warning-subscriptions", token: leader)
            #expect((listed.json["items"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == subscriptionId })
            #expect(
                try await client.call(.delete, "/api/v1/warning-subscriptions/\(subscriptionId)", token: inspector)
                    .status == .notFound,
                "one person cannot remove another's subscription")
            let removed = try await client.call(
                .delete, "/api/v1/warning-subscriptions/\(subscriptionId)", token: leader)
            #expect(
                removed.status == .ok
                    && !(removed.json["items"] as? [[String: Any]] ?? []).contains {
                        $0["id"] as? String == subscriptionId
                    })
        }
    }
}
