import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

/// Push keys: the dataset's owner makes one for the system that feeds it; the key loads into that
/// dataset alone, through the pipeline, until it is revoked or expires.
@Suite struct DatasetPushKeyTests {
    @Test(arguments: TestBackend.available) func aPushKeyLoadsItsDatasetAlone(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let (f, owner) = try await BinsLedger.publish(platform)
            let issued = try await platform.datasetLoads.issuePushKey(
                code: "bins", NewPushKey(name: "环卫作业系统", days: 30), by: owner)
            #expect(issued.key.scopes == [.dataPush] && issued.key.rateLimitPerMinute == 60)
            #expect(issued.key.expiresAt == issued.key.createdAt + 30 * 86_400_000)
            let key = try #require(try await platform.auth.authenticate(apiKey: issued.secret))
            #expect(key.kind == .key && key.id == issued.key.id && key.keyScopes == [.dataPush])

            let load = try await push(platform, "bins", BinsLedger.text(f), by: key)
            #expect(load.source == .push && load.loadedBy == issued.key.id && load.report.kept == 2)
            #expect(load.report.refused == 2, "the owner's pipeline cleans what the system pushes")

            // Another dataset, even the same owner's, is not found to the key.
            _ = try await platform.dataCatalog.register(
                DatasetDraft(
                    code: "crews", title: "班组", description: "", sharingType: .unconditional, openType: .open,
                    updateCycle: .daily, fields: DemoDataHub.fields), by: owner)
            #expect(
                await errorFieldOrCode { try await push(platform, "crews", BinsLedger.text(f), by: key) } == "not_found"
            )
            // The key makes no keys and reads no list of them.
            #expect(
                await errorFieldOrCode {
                    try await platform.datasetLoads.issuePushKey(code: "bins", NewPushKey(name: "x"), by: key)
                }
                    == "out_of_scope")
            #expect(
                await errorFieldOrCode { try await platform.datasetLoads.pushKeys(code: "bins", by: key) }
                    == "out_of_scope")
        }
    }

    @Test(arguments: TestBackend.available) func onlyTheOwnerMakesAndRevokesThem(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let (f, owner) = try await BinsLedger.publish(platform)
            let other = f.staff(.handler, department: f.districtSanitation)
            #expect(
                await errorFieldOrCode {
                    try await platform.datasetLoads.issuePushKey(code: "bins", NewPushKey(name: "冒名系统"), by: other)
                } == "not_dataset_owner")
            for (input, field) in [
                (NewPushKey(name: " "), "name"), (NewPushKey(name: "x", days: 366), "days"),
                (NewPushKey(name: "x", ratePerMinute: 0), "ratePerMinute"),
            ] {
                #expect(
                    await errorFieldOrCode {
                        try await platform.datasetLoads.issuePushKey(code: "bins", input, by: owner)
                    } == field
                )
            }
            // The general key route makes no push keys: they are bound to a dataset.
            #expect(
                await errorFieldOrCode {
                    try await platform.people.createAPIKey(
                        NewAPIKey(name: "x", scopes: [.dataPush], areaId: f.city.id), by: f.staff(.admin))
                } == "scopes")

            let first = try await platform.datasetLoads.issuePushKey(
                code: "bins", NewPushKey(name: "环卫作业系统"), by: owner)
            let second = try await platform.datasetLoads.issuePushKey(
                code: "bins", NewPushKey(name: "第三方巡检", ratePerMinute: 5), by: owner)
            #expect(
                try await platform.datasetLoads.pushKeys(code: "bins", by: owner).map(\.id) == [
                    second.key.id, first.key.id,
                ])
            #expect(
                await errorFieldOrCode { try await platform.datasetLoads.pushKeys(code: "bins", by: other) }
                    == "not_dataset_owner")
            #expect(
                await errorFieldOrCode {
                    try await platform.datasetLoads.revokePushKey(code: "bins", id: first.key.id, by: other)
                }
                    == "not_dataset_owner")
            let revoked = try await platform.datasetLoads.revokePushKey(code: "bins", id: first.key.id, by: owner)
            #expect(revoked.revokedAt != nil)
            #expect(try await platform.auth.authenticate(apiKey: first.secret) == nil, "revoked: refused at once")
            #expect(try await platform.auth.authenticate(apiKey: second.secret)?.rateLimitPerMinute == 5)
            #expect(
                try await platform.datasetLoads.revokePushKey(code: "bins", id: first.key.id, by: owner).revokedAt
                    == revoked.revokedAt, "revoked again: answered as it stands")
            // Another dataset's key is not found through this dataset, even by its own owner.
            _ = try await platform.dataCatalog.register(
                DatasetDraft(
                    code: "crews", title: "班组", description: "", sharingType: .unconditional, openType: .open,
                    updateCycle: .daily, fields: DemoDataHub.fields), by: owner)
            #expect(
                await errorFieldOrCode {
                    try await platform.datasetLoads.revokePushKey(code: "crews", id: second.key.id, by: owner)
                }
                    == "not_found")
            #expect(try await platform.auth.authenticate(apiKey: second.secret) != nil)
        }
    }

    /// A key revoked while its load's file is still arriving: the load, whose principal was made
    /// before and which passed its first look, does not commit. Withdrawn, the dataset's keys are still the owner's to list and revoke.
    @Test(arguments: TestBackend.available) func revocationReachesALoadUnderWay(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let (f, owner) = try await BinsLedger.publish(platform)
            let issued = try await platform.datasetLoads.issuePushKey(
                code: "bins", NewPushKey(name: "环卫作业系统"), by: owner)
            let key = try #require(try await platform.auth.authenticate(apiKey: issued.secret))
            // Revoked once the load has passed its first look and while its file is still arriving.
            let bytes = Array(BinsLedger.text(f).utf8)
            let arriving = TwoChunks(first: Array(bytes[..<40]), second: Array(bytes[40...])) {
                _ = try await platform.datasetLoads.revokePushKey(code: "bins", id: issued.key.id, by: owner)
            }
            #expect(
                await errorFieldOrCode {
                    try await platform.datasetLoads.load(
                        code: "bins", format: .csv, source: .push, dryRun: false, chunks: arriving, by: key)
                } == "not_found")
            #expect(try await platform.datasetRecords.loads(code: "bins", by: owner).isEmpty, "nothing committed")

            let other = try await platform.datasetLoads.issuePushKey(code: "bins", NewPushKey(name: "巡检"), by: owner)
            var centre = f.staff(.admin)
            centre.id = "centre-reviewer"
            _ = try await platform.dataCatalog.act(code: "bins", .withdraw, note: "停用", by: centre)
            #expect(try await platform.datasetLoads.pushKeys(code: "bins", by: owner).count == 2)
            #expect(
                await errorFieldOrCode {
                    try await platform.datasetLoads.issuePushKey(code: "bins", NewPushKey(name: "x"), by: owner)
                }
                    == "dataset_withdrawn")
            #expect(
                try await platform.datasetLoads.revokePushKey(code: "bins", id: other.key.id, by: owner).revokedAt
                    != nil)
        }
    }

    @Test(arguments: TestBackend.available) func aDatasetHasAtMostTwentyKeysInForce(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let (_, owner) = try await BinsLedger.publish(platform)
            var made: [IssuedAPIKey] = []
            for index in 0..<DatasetLoadService.pushKeysAtMost {
                made.append(
                    try await platform.datasetLoads.issuePushKey(
                        code: "bins", NewPushKey(name: "系统\(index)"), by: owner))
            }
            #expect(
                await errorFieldOrCode {
                    try await platform.datasetLoads.issuePushKey(code: "bins", NewPushKey(name: "x"), by: owner)
                }
                    == "too_many_push_keys")
            _ = try await platform.datasetLoads.revokePushKey(code: "bins", id: made[0].key.id, by: owner)
            _ = try await platform.datasetLoads.issuePushKey(code: "bins", NewPushKey(name: "轮换"), by: owner)
        }
    }

    @Test(arguments: TestBackend.available) func aPushKeyEndsWhenItsDaysDo(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let (_, owner) = try await BinsLedger.publish(platform)
            let issued = try await platform.datasetLoads.issuePushKey(
                code: "bins", NewPushKey(name: "环卫作业系统", days: 1), by: owner)
            clock.advance(millis: 86_400_000 - 1)
            #expect(try await platform.auth.authenticate(apiKey: issued.secret) != nil)
            clock.advance(millis: 1)
            #expect(try await platform.auth.authenticate(apiKey: issued.secret) == nil)
        }
    }

    // MARK: Steps

    /// A file in two chunks, `between` run once the first is taken (the load has passed its first
    /// look at the key and its file is still arriving).
    private struct TwoChunks: AsyncSequence, Sendable {
        let first: [UInt8], second: [UInt8]
        let between: @Sendable () async throws -> Void

        struct AsyncIterator: AsyncIteratorProtocol {
            let chunks: TwoChunks
            var taken = 0
            mutating func next() async throws -> [UInt8]? {
                taken += 1
                switch taken {
                case 1: return chunks.first
                case 2:
                    try await chunks.between()
                    return chunks.second
                default: return nil
                }
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: self) }
    }

    @discardableResult
    private func push(_ platform: Platform, _ code: String, _ text: String, by key: Principal) async throws
        -> DatasetLoad
    {
        try await platform.datasetLoads.load(
            code: code, format: .csv, source: .push, dryRun: false, chunks: BinsLedger.chunks(text), by: key)
    }
}
