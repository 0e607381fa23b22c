import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Reminders reach a real HTTP receiver on loopback as JSON; an unreachable one is logged, not fatal.
@Suite struct WebhookNotifierTests {
    struct Reminder: Decodable, Sendable {
        var recipients: [String]
        var subject: String
        var text: String
        var at: Int64
    }

    actor Inbox {
        var bodies: [Reminder] = []
        func add(_ body: Reminder) { bodies.append(body) }
    }

    @Test func remindersArePostedAsJSON() async throws {
        let inbox = Inbox()
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let buffer = try await request.body.collect(upTo: 65_536)
            await inbox.add(try JSONDecoder().decode(Reminder.self, from: Data(buffer: buffer)))
            return .noContent
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { client in
            let port = try #require(client.port)
            let notifier = WebhookNotifier(url: URL(string: "http://127.0.0.1:\(port)/hook")!)
            await notifier.notify(recipients: ["dept-1"], subject: "督办 DB20261123001", text: "请今日内办结")
            let bodies = await inbox.bodies
            #expect(bodies.count == 1)
            #expect(bodies.first?.subject == "督办 DB20261123001" && bodies.first?.text == "请今日内办结")
            #expect(bodies.first?.recipients == ["dept-1"] && (bodies.first?.at ?? 0) > 1_700_000_000_000)

            // With the URL configured, a supervision order reaches the webhook as well as the log.
            var settings = testSettings()
            settings.webhookURL = URL(string: "http://127.0.0.1:\(port)/hook")
            try await withPlatform(.sqlite, settings: settings) { platform in
                let f = try await CaseFixture.make(platform)
                let reported = try await platform.cases.report(
                    NewReport(
                        matterId: f.garbage.id, description: "暴露垃圾", lon: CaseFixture.pointA.lon,
                        lat: CaseFixture.pointA.lat), by: f.staff(.inspector, in: f.streetA)
                ).case
                let order = try await platform.supervision.issue(
                    NewSupervisionOrder(caseId: reported.id, note: "请加快"), by: f.staff(.leader))
                let last = await inbox.bodies.last
                #expect(last?.subject == "督办 \(order.number)" && last?.text == order.letter)
            }
        }
        // Nobody listening: the reminder is logged and the caller goes on.
        await WebhookNotifier(url: URL(string: "http://127.0.0.1:9/hook")!).notify(
            recipients: [], subject: "x", text: "y")
    }
}
