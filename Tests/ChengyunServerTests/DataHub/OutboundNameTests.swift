import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import SQLKit
import Testing

/// A name standing for the cloud's metadata address (`CHENGYUN_TEST_METADATA_NAME`, which `.ci/run`
/// writes into /etc/hosts), on both backends: refused on the field where it is registered (a
/// subscription's url, a pull's url, a service's base URL; the NGSI-LD door answers
/// `invalid_subscription` for an endpoint), and, since a
/// name can change after that, refused again at the call: a record feed's batch is not attempted
/// (nothing held or metered, looked at again in a minute), a plain webhook's attempt fails.
@Suite struct OutboundNameTests {
    typealias Receiver = WebhookDeliveryTests.Receiver

    @Test(arguments: TestBackend.available) func aNameForTheMetadataAddressIsRefusedWhereItIsRegistered(
        backend: TestBackend
    ) async throws {
        guard let name = TestBackend.metadataName else { return }
        try await withPlatform(backend, clock: TestClock()) { platform in
            let (f, loader) = try await BinsLedger.publish(platform, sharing: .conditional)
            let url = "http://\(name)/latest/meta-data/"
            #expect(
                try await Self.refusedField {
                    try await platform.subscriptions.subscribe(
                        .init(topic: .records, dataset: "bins", url: url), by: loader)
                } == "url")
            let criteria = try ContextSubscription.read(
                Data(
                    #"{"type":"Subscription","entities":[{"type":"Alarm"}],"notification":{"endpoint":{"uri":"\#(url)"}}}"#
                        .utf8))
            #expect(
                await errorCode { try await platform.subscriptions.subscribe(criteria, by: loader) }
                    == "invalid_subscription", "the NGSI-LD door's own refusal")
            #expect(
                try await Self.refusedField {
                    try await platform.datasetPulls.set(
                        code: "bins", .init(url: url, format: .csv, intervalMinutes: 60), by: loader)
                } == "url")
            let draft = DatasetDraft(
                code: "metadata-proxy", title: "元数据", description: "", sharingType: .conditional,
                sharingCondition: "申请使用", openType: .closed, updateCycle: .realTime,
                fields: ServiceGatewayTests.fields, service: ServiceEndpoint(url: "http://\(name)/"))
            #expect(
                try await Self.refusedField { try await platform.dataCatalog.register(draft, by: loader) }
                    == "service.url")
            // A draft rewritten to point there is refused too, and keeps its address.
            var safe = draft
            safe.service = ServiceEndpoint(url: "http://127.0.0.1:9/")
            _ = try await platform.dataCatalog.register(safe, by: loader)
            #expect(
                try await Self.refusedField {
                    try await platform.dataCatalog.update(code: draft.code, draft, by: loader)
                }
                    == "service.url")
            let kept = try await platform.dataCatalog.dataset(code: draft.code, by: loader)
            #expect(kept.service?.url == "http://127.0.0.1:9/")
            // Nothing else was made by any of them.
            #expect(try await platform.subscriptions.list(page: PageRequest(), by: loader).items.isEmpty)
            #expect(await errorCode { try await platform.datasetPulls.pull(code: "bins", by: loader) } == "not_found")
            // Someone who may not register there hears that, and nothing of what the name stands for.
            let stranger = f.staff(.handler, in: f.district, department: f.districtSanitation)
            let pulled = await errorCode {
                try await platform.datasetPulls.set(
                    code: "bins", .init(url: url, format: .csv, intervalMinutes: 60), by: stranger)
            }
            let updated = await errorCode {
                try await platform.dataCatalog.update(code: draft.code, draft, by: stranger)
            }
            #expect(pulled != nil && pulled != "validation_failed", "\(pulled ?? "")")
            #expect(updated != nil && updated != "validation_failed", "\(updated ?? "")")
            // A name found nowhere yet is let through (it may be named before it is served).
            _ = try await platform.subscriptions.subscribe(
                .init(topic: .records, dataset: "bins", url: "http://not-yet.chengyun.invalid/hook"), by: loader)
        }
    }

    @Test(arguments: TestBackend.available) func aNameThatCameToStandForItIsRefusedAtTheCall(backend: TestBackend)
        async throws
    {
        guard let name = TestBackend.metadataName else { return }
        let receiver = Receiver()
        try await RecordFeedDeliveryTests.withFeed(backend, receiver, batchSize: 10) {
            platform, clock, f, loader, owner, feedId in
            let plain = try await platform.subscriptions.subscribe(
                .init(topic: .dataset, dataset: "bins", url: "http://127.0.0.1:9/hook"), by: owner)
            // The receivers' names are pointed at the metadata address after registration.
            try await platform.pool.transaction { db in
                try await db.update("subscriptions").set("url", to: "http://\(name)/hook").run()
            }
            let before = try await platform.subscriptions.subscription(id: feedId, by: owner).feed?.position
            try await RecordFeedDeliveryTests.load(platform, BinsLedger.text(f), loader)

            #expect(try await platform.recordFeeds.round() == .init(failed: 2))
            let feed = try #require(try await platform.subscriptions.subscription(id: feedId, by: owner).feed)
            #expect(feed.lastError == "forbidden_address" && feed.attempts == 0 && feed.delivered == 0)
            #expect(feed.position == before, "nothing held or passed over")
            #expect(try await platform.recordFeeds.round() == .init(), "looked at again in a minute")
            clock.advance(millis: OutboundAddress.retryMillis)
            #expect(try await platform.recordFeeds.round() == .init(failed: 2), "and refused again")
            #expect(await receiver.received.isEmpty)

            _ = try await platform.webhooks.round()
            let attempts = try await platform.subscriptions.deliveries(
                id: plain.subscription.id, state: nil, page: PageRequest(), by: owner
            ).items
            #expect(attempts.count == 1 && attempts[0].lastError == "forbidden_address" && attempts[0].attempts == 1)
        }
    }

    /// The field a registration was refused on for `forbidden_address` (nil: not refused so).
    private static func refusedField(_ body: () async throws -> some Any) async throws -> String? {
        do {
            _ = try await body()
            return nil
        } catch let error as DomainError {
            return error.issues.first { $0.code.rawValue == "forbidden_address" }?.field
        }
    }
}
