import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Subscriptions on both backends: a delivery exists exactly when its change committed — a load
/// that fails leaves none — for the subscriptions that match, read by cursor; only what the
/// subscriber may read; events within the subscriber's area.
@Suite struct SubscriptionServiceTests {
    @Test(arguments: TestBackend.available) func aLoadIsDeliveredOnceItCommits(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let (f, loader) = try await BinsLedger.publish(platform, sharing: .conditional)
            let owner = try await f.account(platform, "bins.owner", .handler, department: f.citySanitation)
            let service = platform.subscriptions
            let pulled = try await service.subscribe(.init(topic: .dataset, dataset: "bins"), by: owner)
            #expect(pulled.secret == nil && pulled.subscription.url == nil)
            let other = try await f.account(
                platform, "district.handler", .handler, in: f.district, department: f.districtSanitation)
            #expect(
                await errorCode { try await service.subscribe(.init(topic: .dataset, dataset: "bins"), by: other) }
                    == "not_shared_with_you")
            #expect(
                await errorCode {
                    try await service.subscribe(.init(topic: .dataset, dataset: "bins", url: "ftp://x"), by: owner)
                }
                    == "validation_failed")
            #expect(
                await errorCode { try await service.subscribe(.init(topic: .dataset), by: owner) }
                    == "validation_failed")

            let id = pulled.subscription.id
            _ = try await platform.datasetLoads.load(
                code: "bins", format: .csv, source: .upload, dryRun: false,
                chunks: BinsLedger.chunks(BinsLedger.text(f)), by: loader)
            // A file that cannot be read rolls back, and with it its delivery.
            await #expect(throws: DomainError.self) {
                try await platform.datasetLoads.load(
                    code: "bins", format: .csv, source: .upload, dryRun: false,
                    chunks: BinsLedger.chunks(BinsLedger.text(f) + "X,\"open\n"), by: loader)
            }
            let feed = try await service.deliveries(id: id, state: nil, page: PageRequest(), by: owner)
            #expect(feed.items.count == 1 && feed.items[0].state == .stored)
            let body = try JSONSerialization.jsonObject(with: Data(feed.items[0].body.utf8)) as? [String: Any] ?? [:]
            #expect(body["dataset"] as? String == "bins" && body["version"] as? Int == 1 && body["kept"] as? Int == 2)
            #expect(
                await errorCode { try await service.deliveries(id: id, state: nil, page: PageRequest(), by: other) }
                    == "not_found")
            #expect(await errorCode { try await service.replay(id: id, from: 0, by: owner) } == "pulled_subscription")

            // Cancelled, it hears no more.
            _ = try await service.cancel(id: id, by: owner)
            _ = try await platform.datasetLoads.load(
                code: "bins", format: .csv, source: .upload, dryRun: false,
                chunks: BinsLedger.chunks(BinsLedger.text(f, bins: 6)), by: loader)
            #expect(try await service.deliveries(id: id, state: nil, page: PageRequest(), by: owner).items.count == 1)
        }
    }

    @Test(arguments: TestBackend.available) func eventsReachTheSubscribersWhoseAreaHoldsThem(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let city = try await f.account(platform, "city.supervisor", .supervisor)
            let elsewhere = try await f.account(platform, "street.supervisor", .supervisor, in: f.streetB)
            let cityWide = try await platform.subscriptions.subscribe(.init(topic: .incident), by: city)
            let street = try await platform.subscriptions.subscribe(.init(topic: .incident), by: elsewhere)
            let alarms = try await platform.subscriptions.subscribe(.init(topic: .alarm), by: city)
            _ = try await platform.incidents.open(
                NewIncident(
                    title: "人民路燃气泄漏", incidentType: "gas_leak", lon: CaseFixture.pointA.lon, lat: CaseFixture.pointA.lat
                ),
                by: city)
            let heard = try await platform.subscriptions.deliveries(
                id: cityWide.subscription.id, state: nil, page: PageRequest(), by: city
            ).items
            #expect(heard.count == 1 && heard[0].topic == .incident && heard[0].body.contains("人民路燃气泄漏"))
            #expect(
                try await platform.subscriptions.deliveries(
                    id: street.subscription.id, state: nil, page: PageRequest(), by: elsewhere
                ).items.isEmpty, "street B does not hear of street A's incident")
            #expect(
                try await platform.subscriptions.deliveries(
                    id: alarms.subscription.id, state: nil, page: PageRequest(), by: city
                )
                .items.isEmpty)
        }
    }

    /// The log a person looks at starts at the newest delivery; its cursor leads on to older ones.
    @Test(arguments: TestBackend.available) func theLogCanStartAtTheNewest(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let city = try await f.account(platform, "city.supervisor", .supervisor)
            let id = try await platform.subscriptions.subscribe(.init(topic: .incident), by: city).subscription.id
            for title in ["一号", "二号", "三号"] {
                clock.advance(millis: 1)
                _ = try await platform.incidents.open(
                    NewIncident(
                        title: title, incidentType: "gas_leak", lon: CaseFixture.pointA.lon, lat: CaseFixture.pointA.lat
                    ),
                    by: city)
            }
            func titles(_ order: ListOrder, after cursor: String? = nil) async throws -> ([String], String?) {
                var page = try PageRequest(cursor: cursor, limit: "2")
                page.order = order
                let found = try await platform.subscriptions.deliveries(id: id, state: nil, page: page, by: city)
                let named = found.items.map { delivery in
                    ["一号", "二号", "三号"].first { delivery.body.contains($0) } ?? "?"
                }
                return (named, found.nextCursor)
            }
            let (newest, older) = try await titles(.newest)
            #expect(newest == ["三号", "二号"] && older != nil)
            let (oldest, end) = try await titles(.newest, after: older)
            #expect(oldest == ["一号"] && end == nil)
            #expect(try await titles(.oldest).0 == ["一号", "二号"])
        }
    }
}
