import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Warnings and supervision over a real store: a case's filing stage turns yellow near its limit,
/// red past it, gets an automatic supervision order once overdue past the allowance; the order is
/// read, goes overdue itself, is answered; everything settles when the case moves on.
@Suite struct SupervisionTests {
    @Test(arguments: TestBackend.available) func aLateCaseIsWarnedThenSupervised(backend: TestBackend) async throws {
        // Monday 2026-11-23, 09:00 in Suzhou.
        let clock = TestClock(Instant.parse("2026-11-23T09:00:00+08:00")!)
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let supervision = platform.supervision
            _ = try await supervision.setPolicy(
                SupervisionPolicy(autoSuperviseAfterMinutes: 30, orderDeadlineHours: 24), by: f.staff(.admin))
            let reported = try await platform.cases.report(
                NewReport(
                    matterId: f.garbage.id, description: "暴露垃圾", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat, address: "平江路 1 号"),
                by: f.staff(.inspector, in: f.streetA)
            ).case
            let deadline = try #require(reported.stageDeadline)
            #expect(try await supervision.sweep() == .init(), "nothing is near its limit at the start")

            // A minute before the filing deadline: yellow.
            clock.set(deadline - 60_000)
            #expect(try await supervision.sweep() == .init(raised: 1))
            var warnings = try await supervision.warnings(openOnly: true, by: f.staff(.leader))
            #expect(warnings.map(\.level) == [.yellow] && warnings.first?.key == "case:\(reported.id):file")
            #expect(try await supervision.sweep() == .init(), "an unchanged warning is not raised twice")

            // Ten minutes past it: red, the same warning escalated.
            clock.set(deadline + 10 * 60_000)
            #expect(try await supervision.sweep() == .init(escalated: 1))
            // Forty minutes past it (allowance 30): an automatic order, once.
            clock.set(deadline + 40 * 60_000)
            let sweep = try await supervision.sweep()
            #expect(sweep.ordersIssued == 1)
            #expect(try await supervision.sweep().ordersIssued == 0, "one unanswered order per case")
            var orders = try await supervision.orders(caseId: reported.id, unansweredOnly: false, by: f.staff(.leader))
            let order = try #require(orders.first)
            #expect(orders.count == 1 && order.automatic && order.number == "DB20261123001" && order.state == .issued)
            #expect(
                order.letter.contains(reported.number) && order.letter.contains("立案环节已超时 40 分钟")
                    && order.letter.contains("平江路 1 号"),
                "\(order.letter)")
            #expect(order.deadline == clock.now + 24 * 3_600_000)

            // The case has no department yet: the area's supervisor reads it; a street's inspector may not.
            await #expect(throws: DomainError.self) {
                try await supervision.acknowledge(
                    orderId: order.id, response: nil, by: f.staff(.inspector, in: f.streetA))
            }
            let read = try await supervision.acknowledge(orderId: order.id, response: nil, by: f.staff(.supervisor))
            #expect(read.state == .read && read.readAt == clock.now)

            // 20 of its 24 hours gone, unanswered: the order itself warns yellow (the policy's 80 %)…
            clock.advance(minutes: 20 * 60)
            _ = try await supervision.sweep()
            let nearing = try await supervision.warnings(openOnly: true, by: f.staff(.leader)).first {
                $0.kind == .supervisionOverdue
            }
            #expect(
                nearing?.level == .yellow && nearing?.title == "督办 \(order.number) 即将到期",
                "\(String(describing: nearing))")
            // …and a day after it was issued, red: overdue.
            clock.advance(minutes: 5 * 60)
            _ = try await supervision.sweep()
            warnings = try await supervision.warnings(openOnly: true, by: f.staff(.leader))
            #expect(Set(warnings.map(\.kind)) == [.caseStage, .supervisionOverdue])

            // Answered, and the case filed: both warnings settle.
            let answered = try await supervision.acknowledge(
                orderId: order.id, response: "已立案派遣，今日处置完毕", by: f.staff(.supervisor))
            #expect(answered.state == .responded && answered.response == "已立案派遣，今日处置完毕")
            await #expect(throws: DomainError.self) {
                try await supervision.acknowledge(orderId: order.id, response: "再答一次", by: f.staff(.supervisor))
            }
            _ = try await platform.cases.act(caseId: reported.id, CaseActionInput(.file), by: f.staff(.supervisor))
            let settled = try await supervision.sweep()
            #expect(settled.resolved == 2, "\(settled)")
            #expect(
                try await supervision.warnings(openOnly: true, by: f.staff(.leader)).filter {
                    $0.targetId == reported.id || $0.targetId == order.id
                }.isEmpty)
            #expect(
                try await supervision.warnings(openOnly: false, by: f.staff(.leader)).count >= 2,
                "settled warnings stay as history")

            // A leader orders by hand, within their own area only.
            orders = try await supervision.orders(caseId: nil, unansweredOnly: true, by: f.staff(.leader))
            let manual = try await supervision.issue(
                NewSupervisionOrder(caseId: reported.number, note: "请加快"), by: f.staff(.leader))
            #expect(!manual.automatic && manual.number == "DB20261124001" && manual.letter.hasSuffix("请加快"))
            await #expect(throws: DomainError.self) {
                try await supervision.issue(
                    NewSupervisionOrder(caseId: reported.id, note: nil), by: f.staff(.leader, in: f.streetB))
            }
        }
    }

    @Test func lettersAreRenderedAndTemplatesChecked() throws {
        let template = LetterTemplate(text: "案件 {caseNumber} 超时 {overdue}，请 {department} 办理 {{加急}}")
        #expect(try template.fields() == ["caseNumber", "overdue", "department"])
        #expect(
            template.render(["caseNumber": "E0102", "overdue": LetterTemplate.duration(minutes: 135)])
                == "案件 E0102 超时 2 小时 15 分钟，请 — 办理 {加急}")
        #expect(
            LetterTemplate.duration(minutes: 3 * 1440 + 120) == "3 天 2 小时"
                && LetterTemplate.duration(minutes: 40) == "40 分钟")
        #expect(throws: DomainError.self) { try LetterTemplate(text: "{casenumber}").fields() }
        #expect(throws: DomainError.self) { try LetterTemplate(text: "超时 {overdue").fields() }
        #expect(throws: DomainError.self) { try SupervisionPolicy(orderDeadlineHours: 0).validate() }
        #expect(Instant.format(Instant.parse("2026-11-23T15:04:00+08:00")!) == "2026-11-23 15:04")
    }
}
