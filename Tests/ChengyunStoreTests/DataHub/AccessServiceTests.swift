import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Exchange on both backends: another department applies for some fields of a conditionally
/// shared dataset, its owner and then the centre approve, and the consumer reads those fields —
/// its staff and its key — within the grant's rate and daily quota, every read logged, until
/// the grant is revoked or expires.
@Suite struct AccessServiceTests {
    private func loaded(_ platform: Platform) async throws -> (CaseFixture, owner: Principal, centre: Principal) {
        let (f, owner) = try await BinsLedger.publishLoaded(platform, sharing: .conditional)
        var centre = f.staff(.admin)
        centre.id = "centre-approver"
        return (f, owner, centre)
    }

    private func consumer(_ f: CaseFixture) -> Principal {
        f.staff(.handler, in: f.district, department: f.districtSanitation)
    }

    private func terms(rate: Int = 3, quota: Int = 5) -> AccessApplicationInput {
        AccessApplicationInput(
            purpose: "区级环卫巡查比对投放点", fields: ["lon", "code", "name", "lat"], days: 30, system: "区环卫巡查系统",
            ratePerMinute: rate, dailyQuota: quota)
    }

    @Test(arguments: TestBackend.available) func aGrantReadsItsFieldsWithinItsLimits(backend: TestBackend)
        async throws
    {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let (f, owner, centre) = try await loaded(platform)
            let (exchange, records, reader) = (platform.exchange, platform.datasetRecords, consumer(f))
            #expect(await errorCode { try await exchange.apply(code: "bins", terms(), by: owner) } == "own_dataset")
            let applied = try await exchange.apply(code: "bins", terms(), by: reader)
            #expect(applied.fields == ["code", "name", "lon", "lat"] && applied.stages == [.owner, .centre])
            #expect(applied.consumer == f.districtSanitation.name)
            let queue = try await exchange.list(.awaiting, state: nil, page: PageRequest(), by: owner)
            #expect(queue.items.map(\.id) == [applied.id])
            #expect(try await exchange.list(.awaiting, state: nil, page: PageRequest(), by: reader).items.isEmpty)

            // Pending, the consumer reads nothing; nor does the consumer approve its own.
            #expect(
                await errorCode { try await records.page(code: "bins", .init(), by: reader) } == "not_shared_with_you")
            #expect(
                await errorCode { try await exchange.act(id: applied.id, .approve, note: nil, by: reader) }
                    == "not_the_approver")
            var stranger = f.staff(.handler, in: f.district)
            stranger.id = "stranger"
            #expect(
                await errorCode { try await exchange.act(id: applied.id, .approve, note: nil, by: stranger) }
                    == "not_found")
            _ = try await exchange.act(id: applied.id, .approve, note: nil, by: owner)
            #expect(
                await errorCode { try await exchange.act(id: applied.id, .approve, note: nil, by: owner) }
                    == "not_the_approver")
            let approved = try await exchange.act(id: applied.id, .approve, note: nil, by: centre)
            #expect(approved.state == .approved && approved.expiresAt == clock.now + 30 * 86_400_000)

            // The staff of the consuming department read the granted fields alone.
            let page = try await records.page(code: "bins", .init(), by: reader)
            #expect(page.fields.map(\.name) == ["code", "name", "lon", "lat"] && page.records.count == 2)
            #expect(page.records.allSatisfy { $0.count == 4 })
            #expect(
                await errorCode { try await records.page(code: "bins", .init(equals: ["phone": "x"]), by: reader) }
                    == "validation_failed")
            #expect(
                await errorCode { try await records.page(code: "bins", .init(from: 1), by: reader) }
                    == "validation_failed",
                "the time range is on a field not granted")

            // Its system's key reads the same; the minute's rate (3) is used up by the fourth read.
            let issued = try await exchange.issueKey(id: applied.id, by: reader)
            #expect(
                await errorCode { try await exchange.issueKey(id: applied.id, by: owner) } == "not_your_application")
            let key = try #require(try await platform.auth.authenticate(apiKey: issued.secret))
            #expect(key.grantId == applied.id && key.keyScopes == [.dataRead])
            // Refused filters read nothing and are not counted: two more reads, then the limit.
            #expect(try await records.page(code: "bins", .init(), by: key).records.count == 2)
            #expect(try await records.page(code: "bins", .init(), by: key).records.count == 2)
            #expect(await errorCode { try await records.page(code: "bins", .init(), by: key) } == "rate_limited")
            clock.advance(minutes: 1)
            #expect(try await records.page(code: "bins", .init(), by: key).records.count == 2)
            #expect(try await records.window(code: "bins", .init(), offset: 1, by: key).records.count == 1)
            // Five a day: the sixth is refused until the city's next day.
            #expect(await errorCode { try await records.page(code: "bins", .init(), by: key) } == "quota_exhausted")
            let usage = try await exchange.usage(id: applied.id, by: reader)
            #expect(usage.usedToday == 5 && usage.dailyQuota == 5)
            clock.advance(minutes: 24 * 60)
            #expect(try await records.page(code: "bins", .init(), by: key).records.count == 2)

            // The log: every read, admitted or not, for the consumer and the owner; not for others.
            let log = try await exchange.log(id: applied.id, page: PageRequest(), by: reader).items
            #expect(log.count == 8 && log.first?.operation == "records" && log.first?.callerKind == "key")
            #expect(log.map(\.outcome).filter { $0 != .admitted } == [.quotaExhausted, .rateLimited])
            #expect(try await exchange.log(code: "bins", page: PageRequest(limit: 3), by: owner).items.count == 3)
            #expect(
                await errorCode { try await exchange.log(code: "bins", page: PageRequest(), by: reader) }
                    == "not_dataset_owner")
            #expect(await errorCode { try await exchange.application(id: applied.id, by: stranger) } == "not_found")

            // Revoked with a reason: the key stops and the staff read no more.
            #expect(
                await errorCode { try await exchange.act(id: applied.id, .revoke, note: nil, by: owner) }
                    == "note_required")
            let revoked = try await exchange.act(id: applied.id, .revoke, note: "巡查结束", by: owner)
            #expect(revoked.state == .revoked)
            #expect(try await platform.auth.authenticate(apiKey: issued.secret) == nil)
            #expect(
                await errorCode { try await records.page(code: "bins", .init(), by: reader) } == "not_shared_with_you")
            let audited = try await platform.pool.read {
                try await platform.auditLog.list(
                    .init(targetType: "access_application"), beforeSeq: nil, limit: 50, on: $0)
            }
            #expect(
                Set(audited.map(\.action)) == ["access.apply", "access.approve", "access.key", "access.revoke"])
        }
    }

    @Test(arguments: TestBackend.available) func theQuotaHoldsUnderABurstAndTheGrantExpires(backend: TestBackend)
        async throws
    {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let (f, owner, centre) = try await loaded(platform)
            let reader = consumer(f)
            let applied = try await platform.exchange.apply(code: "bins", terms(rate: 600, quota: 10), by: reader)
            _ = try await platform.exchange.act(id: applied.id, .approve, note: nil, by: owner)
            _ = try await platform.exchange.act(id: applied.id, .approve, note: nil, by: centre)
            let secret = try await platform.exchange.issueKey(id: applied.id, by: reader).secret
            let key = try #require(try await platform.auth.authenticate(apiKey: secret))
            // Thirty reads at once, as from several nodes: ten are admitted, never more.
            let outcomes = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<30 {
                    group.addTask {
                        await errorCode { try await platform.datasetRecords.page(code: "bins", .init(), by: key) }
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 10)
            #expect(outcomes.filter { $0 == "quota_exhausted" }.count == 20)
            // Thirty-one days on, the grant has expired: the key is refused, and so is the department.
            clock.advance(minutes: 31 * 24 * 60)
            #expect(try await platform.auth.authenticate(apiKey: secret) == nil)
            #expect(
                await errorCode { try await platform.datasetRecords.page(code: "bins", .init(), by: reader) }
                    == "not_shared_with_you")
            #expect(
                await errorCode { try await platform.datasetRecords.page(code: "bins", .init(), by: key) }
                    == "not_shared_with_you")
            #expect(
                await errorCode { try await platform.exchange.issueKey(id: applied.id, by: reader) } == "not_in_force")
        }
    }

    @Test(arguments: TestBackend.available) func aGrantsKeyReadsByItsGrantEvenWhereDataIsOpen(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let (f, owner) = try await BinsLedger.publishLoaded(platform, sharing: .unconditional)
            let reader = consumer(f)
            let input = AccessApplicationInput(
                purpose: "大屏", fields: ["name", "code"], days: 7, system: "大屏", dailyQuota: 1)
            let applied = try await platform.exchange.apply(code: "bins", input, by: reader)
            #expect(applied.stages == [.owner])
            _ = try await platform.exchange.act(id: applied.id, .approve, note: nil, by: owner)
            let secret = try await platform.exchange.issueKey(id: applied.id, by: reader).secret
            let key = try #require(try await platform.auth.authenticate(apiKey: secret))
            // Unconditional, open data: the department's staff read it all, unmetered; the key
            // reads its two fields, metered.
            #expect(try await platform.datasetRecords.page(code: "bins", .init(), by: reader).fields.count == 9)
            #expect(
                try await platform.datasetRecords.page(code: "bins", .init(), by: key).fields.map(\.name) == [
                    "code", "name",
                ])
            #expect(
                await errorCode { try await platform.datasetRecords.page(code: "bins", .init(), by: key) }
                    == "quota_exhausted")
        }
    }

    /// Logs past their retention go (`DataHubPruning`): access log entries, and deliveries that
    /// reached an end; a pending delivery stays however old, and so does what is newer.
    @Test(arguments: TestBackend.available) func logsPastTheirRetentionArePruned(backend: TestBackend) async throws {
        let clock = TestClock()
        var settings = testSettings()
        settings.dataHubRetention.accessLogDays = 30
        settings.dataHubRetention.deliveryDays = 30
        try await withPlatform(backend, clock: clock, settings: settings) { platform in
            let (f, owner, centre) = try await loaded(platform)
            let reader = consumer(f)
            let applied = try await platform.exchange.apply(code: "bins", terms(rate: 600, quota: 100), by: reader)
            _ = try await platform.exchange.act(id: applied.id, .approve, note: nil, by: owner)
            _ = try await platform.exchange.act(id: applied.id, .approve, note: nil, by: centre)
            for _ in 0..<2 { _ = try await platform.datasetRecords.page(code: "bins", .init(), by: reader) }
            let subscriber = try await f.account(platform, "bins.subscriber", .handler, department: f.citySanitation)
            _ = try await platform.subscriptions.subscribe(.init(topic: .dataset, dataset: "bins"), by: subscriber)
            let load = {
                _ = try await platform.datasetLoads.load(
                    code: "bins", format: .csv, source: .upload, dryRun: false,
                    chunks: BinsLedger.chunks(BinsLedger.text(f)), by: owner)
            }
            try await load()
            clock.advance(millis: 1)
            try await load()
            // The first of the two is made pending again, as one still waiting for its receiver.
            try await platform.pool.transaction { db in
                try await db.raw(
                    """
                    UPDATE subscription_deliveries SET state = 'pending'
                    WHERE id = (SELECT min(id) FROM subscription_deliveries)
                    """
                ).run()
            }
            clock.advance(minutes: 31 * 24 * 60)
            try await load()
            let counts = {
                try await platform.pool.read { db in
                    (
                        try await db.raw("SELECT count(*) AS n FROM dataset_access_log").first()?
                            .decode(column: "n", as: Int.self),
                        try await db.raw("SELECT state FROM subscription_deliveries ORDER BY id").all()
                            .map { try $0.decode(column: "state", as: String.self) }
                    )
                }
            }
            let before = try await counts()
            #expect(before.0 == 2 && before.1 == ["pending", "stored", "stored"])

            let removed = try await platform.dataHubPruning.prune()
            #expect(removed.deliveries == 1 && removed.accessLog == 2)
            let after = try await counts()
            #expect(after.0 == 0 && after.1 == ["pending", "stored"])
            let audited = try await platform.pool.read {
                try await platform.auditLog.list(.init(targetType: "datahub"), beforeSeq: nil, limit: 5, on: $0)
            }
            #expect(audited.allSatisfy { $0.action == "datahub.prune" })
            #expect(Set(audited.map(\.targetId)) == ["subscription_deliveries", "dataset_access_log"])
            // Nothing more to go: no more entries.
            #expect(try await platform.dataHubPruning.prune() == (0, 0))
        }
    }
}
