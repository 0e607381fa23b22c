import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import SQLKit
import Testing

/// A dataset's feed horizon only moves forward, on both backends: one load's changes share their
/// millisecond, so slices of the pruning taken by id remove them in no order of their places,
/// and the horizon must still end at the furthest change gone. A read of a feed takes only the
/// changes made by when its reader was judged, and a cursor's move is written only where it found
/// the cursor.
@Suite struct RecordFeedHorizonTests {
    @Test(arguments: TestBackend.available) func theHorizonEndsAtTheFurthestChangeGone(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend, clock: TestClock()) { platform in
            let (feeds, datasetId) = (RecordFeedRepository(), try await publishedBins(platform))
            // Three changes of one load, the furthest (ordinal 3) with the lowest id: pruned first.
            let ids = (0..<3).map { _ in Identifier.make(at: 1_000) }.sorted()
            try await platform.pool.transaction { db in
                for (id, ordinal) in zip(ids, [3, 1, 2]) {
                    try await db.insert(into: "dataset_changes")
                        .columns("id", "dataset_id", "version", "ordinal", "record_key", "at")
                        .values(
                            SQLBind(id), SQLBind(datasetId), SQLBind(Int64(1)), SQLBind(Int64(ordinal)),
                            SQLBind("LJ00\(ordinal)"), SQLBind(Int64(1_000))
                        ).run()
                }
            }
            var removed: [Int] = []
            repeat {
                removed.append(
                    try await platform.pool.transaction {
                        try await feeds.prune(before: Identifier.floor(at: 2_000), slice: 1, at: 5_000, on: $0)
                    })
            } while removed.last != 0
            #expect(removed == [1, 1, 1, 0])
            let horizon = try await platform.pool.read { try await feeds.horizon(datasetId: datasetId, on: $0) }
            #expect(horizon == RecordFeed.Position(version: 1, ordinal: 3))
            #expect(RecordFeed.missed(after: .init(version: 1, ordinal: 2), horizon: horizon))
        }
    }

    @Test(arguments: TestBackend.available) func aChangeMadeAfterTheReaderWasJudgedWaits(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend, clock: TestClock()) { platform in
            let (feeds, datasetId) = (RecordFeedRepository(), try await publishedBins(platform))
            try await platform.pool.transaction { db in
                try await feeds.append(keys: ["LJ001"], datasetId: datasetId, version: 1, first: 1, at: 1_000, on: db)
                try await feeds.append(keys: ["LJ002"], datasetId: datasetId, version: 2, first: 1, at: 3_000, on: db)
                // Loaded on a node whose clock is behind: placed later, made "earlier".
                try await feeds.append(keys: ["LJ003"], datasetId: datasetId, version: 3, first: 1, at: 1_500, on: db)
            }
            let read = { (judgedAt: Int64) in
                try await platform.pool.read { db in
                    try await feeds.batch(
                        datasetId: datasetId, after: .init(version: 0, ordinal: 0), upTo: nil, judgedAt: judgedAt,
                        limit: 10, reading: nil, on: db)
                }.items.map(\.change.key)
            }
            #expect(try await read(2_000) == ["LJ001"], "made after the judgement: it and all after it wait")
            #expect(try await read(3_000) == ["LJ001", "LJ002", "LJ003"], "none skipped")
        }
    }

    @Test(arguments: TestBackend.available) func aMoveThatFindsItsCursorMovedIsNotWritten(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend, clock: TestClock()) { platform in
            let (f, _) = try await BinsLedger.publish(platform)
            let owner = try await f.account(platform, "bins.follower", .handler, department: f.citySanitation)
            let id = try await platform.subscriptions.subscribe(
                .init(topic: .records, dataset: "bins", url: "http://127.0.0.1:9/hook"), by: owner
            ).subscription.id
            let feeds = RecordFeedRepository()
            let found = try #require(
                try await platform.pool.read { try await feeds.cursor(subscriptionId: id, on: $0) })
            var stale = found
            stale.version += 1 // where a round found it before a replay moved it back
            var after = found
            (after.version, after.ordinal, after.delivered) = (found.version + 5, 0, 3)
            let record = { (move: RecordFeedRepository.Move) in
                try await platform.pool.transaction { try await feeds.record([move], on: $0) }
            }
            #expect(try await record(.init(before: stale, after: after)) == [false], "moved meanwhile: not written")
            #expect(try await record(.init(before: found, after: after)) == [true], "found where it is: written")
            let now = try await platform.pool.read { try await feeds.cursor(subscriptionId: id, on: $0) }
            #expect(now?.version == found.version + 5 && now?.delivered == 3)
        }
    }

    // MARK: Steps

    /// The bins ledger, published: its dataset's id.
    private func publishedBins(_ platform: Platform) async throws -> String {
        _ = try await BinsLedger.publish(platform)
        return try #require(
            try await platform.pool.read { try await DatasetRepository().find(code: "bins", locking: false, on: $0) }
        ).id
    }
}
