import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// A record feed read by a grant, on both backends: the consumer hears the granted fields alone
/// while the owner's department, at the same place in the same round, hears every field; each POST
/// is the grant's metered `records_feed` read in its log; once the grant is revoked the consumer
/// hears nothing more, nor reads its feed's log, while the owner's department does.
@Suite struct RecordFeedAccessTests {
    typealias Receiver = WebhookDeliveryTests.Receiver

    @Test(arguments: TestBackend.available) func aGrantHearsItsFieldsAloneUntilItIsRevoked(backend: TestBackend)
        async throws
    {
        let (owners, consumers) = (Receiver(), Receiver())
        try await WebhookDeliveryTests.receiving(owners, idHeader: "X-Chengyun-Batch") { ownersPort in
            try await WebhookDeliveryTests.receiving(consumers, idHeader: "X-Chengyun-Batch") { consumersPort in
                let clock = TestClock()
                try await withPlatform(backend, clock: clock) { platform in
                    let (f, loader) = try await BinsLedger.publishLoaded(platform, sharing: .conditional)
                    let exchange = platform.exchange
                    let (consumer, applied) = try await Self.granted(
                        platform, f, loader, "district.consumer", fields: ["code", "name", "lon", "lat"])

                    let colleague = try await f.account(
                        platform, "bins.colleague", .handler, department: f.citySanitation)
                    let own = try await platform.subscriptions.subscribe(
                        .init(topic: .records, dataset: "bins", url: "http://127.0.0.1:\(ownersPort)/hook"),
                        by: colleague)
                    let granted = try await platform.subscriptions.subscribe(
                        .init(topic: .records, dataset: "bins", url: "http://127.0.0.1:\(consumersPort)/hook"),
                        by: consumer)
                    await owners.set(secret: try #require(own.secret))
                    await consumers.set(secret: try #require(granted.secret))

                    try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f, bins: 4), loader)
                    #expect(try await platform.recordFeeds.round() == .init(delivered: 4))
                    let heardByOwners = try await RecordFeedDeliveryTests.received(owners)
                    let heardByConsumer = try await RecordFeedDeliveryTests.received(consumers)
                    #expect(
                        heardByOwners.map(\.place) == ["2.1", "2.2"] && heardByConsumer.map(\.place) == ["2.1", "2.2"])
                    #expect(
                        heardByConsumer.allSatisfy {
                            Set($0.record?.keys ?? [:].keys) == ["code", "name", "lon", "lat"]
                        })
                    #expect(heardByOwners.first?.record?["bins"] as? Int == 4, "every field, to the owner's department")
                    #expect(heardByOwners.allSatisfy { $0.record?.keys.contains("phone") == true })
                    let log = try await exchange.log(id: applied.id, page: PageRequest(), by: consumer).items
                    #expect(log.map(\.operation) == ["records_feed"] && log[0].callerId == consumer.id)

                    // A batch is one read of the grant, however often it is tried.
                    await consumers.set(down: true)
                    try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f, bins: 6), loader)
                    #expect(try await platform.recordFeeds.round() == .init(delivered: 2, failed: 2))
                    await consumers.set(down: false)
                    clock.advance(millis: 1_000)
                    #expect(try await platform.recordFeeds.round() == .init(delivered: 2))
                    let metered = try await exchange.log(id: applied.id, page: PageRequest(), by: consumer).items
                    #expect(metered.count == 2, "v2's batch and v3's, its retry not counted again")

                    _ = try await exchange.act(id: applied.id, .revoke, note: "巡查结束", by: loader)
                    try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f, bins: 5), loader)
                    #expect(
                        try await platform.recordFeeds.round() == .init(delivered: 2), "the owner's department alone")
                    #expect(try await RecordFeedDeliveryTests.received(consumers).count == 4)
                    #expect(
                        try await RecordFeedDeliveryTests.received(owners).map(\.place).suffix(2) == ["4.1", "4.2"])
                    // Its log holds records: read no more either, by any order or state.
                    for (state, order) in [(DeliveryState?.none, ListOrder.newest), (.dead, .oldest)] {
                        var page = PageRequest()
                        page.order = order
                        #expect(
                            await errorCode {
                                try await platform.subscriptions.deliveries(
                                    id: granted.subscription.id, state: state, page: page, by: consumer)
                            } == "not_shared_with_you")
                    }
                    var newest = PageRequest()
                    newest.order = .newest
                    #expect(
                        try await platform.subscriptions.deliveries(
                            id: own.subscription.id, state: nil, page: newest, by: colleague
                        ).items.isEmpty, "the owner's department still reads its log")
                }
            }
        }
    }

    /// A district handler (`login`) granted `fields` of the bins ledger: applied for, approved by
    /// the owner department's `loader` and then by the centre.
    static func granted(
        _ platform: Platform, _ f: CaseFixture, _ loader: Principal, _ login: String, fields: [String]
    ) async throws -> (Principal, AccessApplication) {
        let consumer = try await f.account(platform, login, .handler, in: f.district, department: f.districtSanitation)
        let applied = try await platform.exchange.apply(
            code: "bins",
            AccessApplicationInput(
                purpose: "区级环卫巡查比对投放点", fields: fields, days: 30, system: "区环卫巡查系统", ratePerMinute: 60,
                dailyQuota: 100),
            by: consumer)
        var centre = f.staff(.admin)
        centre.id = "centre-approver"
        _ = try await platform.exchange.act(id: applied.id, .approve, note: nil, by: loader)
        return (consumer, try await platform.exchange.act(id: applied.id, .approve, note: nil, by: centre))
    }
}
