import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Snapshots as stored evidence: a key's count against its daily quota, and those under review
/// outlive the cleanup of unlinked uploads.
@Suite struct VideoSnapshotTests {
    @Test(arguments: TestBackend.available) func aKeysSnapshotsCountAgainstItsDailyQuota(backend: TestBackend)
        async throws
    {
        var settings = testSettings()
        settings.attachments.dailyKeyQuotaBytes = 3_000
        try await withPlatform(backend, settings: settings) { platform in
            let s = try await videoSetUp(platform)
            let now = platform.now()
            // 2,146 bytes: taken; 1,608 more would pass 3,000: refused, and nothing is recorded.
            _ = try await platform.video.ingest(sighting(s, "street_vendor", at: now), by: s.key)
            do {
                _ = try await platform.video.ingest(sighting(s, "piled_materials", at: now), by: s.key)
                Issue.record("the key went past its quota")
            } catch let error as DomainError {
                #expect(error.code == "upload_quota_exceeded")
            }
            // A repeat stores no snapshot, so it still folds in.
            let again = try await platform.video.ingest(sighting(s, "street_vendor", at: now + 1_000), by: s.key)
            #expect(again.folded && again.sightings == 2)
            #expect(
                try await platform.video.detections(state: .pending, classCode: nil, limit: 10, by: .system).count == 1)
        }
    }

    @Test(arguments: TestBackend.available) func snapshotsUnderReviewOutliveTheUploadCleanup(backend: TestBackend)
        async throws
    {
        let clock = TestClock(EpochMillis.now())
        try await withPlatform(backend, clock: clock) { platform in
            let s = try await videoSetUp(platform)
            let receipt = try await platform.video.ingest(
                sighting(s, "piled_materials", at: clock.now), by: s.key)
            clock.advance(minutes: 3 * 24 * 60)
            _ = try await platform.files.removeUnlinked()
            let (_, bytes) = try await platform.video.snapshot(id: receipt.id, by: .system)
            #expect(Array(bytes) == s.shots["piled_materials"]!.jpeg)
        }
    }
}
