import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Uploads belong to who uploaded them: another person cannot link them by their hash, each person
/// has a daily quota, and files linked to no case are removed after a day.
@Suite struct AttachmentOwnershipTests {
    static func jpeg(_ fill: UInt8, _ count: Int = 2048) -> [UInt8] {
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [UInt8](repeating: fill, count: count)
    }

    @Test(arguments: TestBackend.available) func onlyOnesOwnUploadsAreLinked(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let (alice, bob) = (f.staff(.inspector, in: f.streetA), f.staff(.intake))
            let photo = try await platform.files.save(
                Self.jpeg(0x41), declaredType: "image/jpeg", name: "a.jpg", by: alice)
            var report = NewReport(
                matterId: f.garbage.id, description: "垃圾", lon: CaseFixture.pointA.lon, lat: CaseFixture.pointA.lat)
            report.attachments = [photo.id]
            await #expect(throws: DomainError.self, "bob links alice's photo by its hash") {
                _ = try await platform.cases.report(report, by: bob)
            }
            // Once bob uploads the same bytes himself, the same file is his to link too.
            _ = try await platform.files.save(Self.jpeg(0x41), declaredType: "image/jpeg", name: "b.jpg", by: bob)
            #expect(try await platform.cases.report(report, by: bob).case.number.isEmpty == false)
            #expect(try await platform.cases.report(report, by: alice).case.number.isEmpty == false)
        }
    }

    @Test(arguments: TestBackend.available) func aDailyQuotaPerPerson(backend: TestBackend) async throws {
        var settings = testSettings()
        settings.attachments.dailyQuotaBytes = 5000
        let clock = TestClock()
        try await withPlatform(backend, clock: clock, settings: settings) { platform in
            let f = try await CaseFixture.make(platform)
            let inspector = f.staff(.inspector, in: f.streetA)
            _ = try await platform.files.save(Self.jpeg(1), declaredType: "image/jpeg", name: "1.jpg", by: inspector)
            _ = try await platform.files.save(Self.jpeg(2), declaredType: "image/jpeg", name: "2.jpg", by: inspector)
            do {
                _ = try await platform.files.save(
                    Self.jpeg(3), declaredType: "image/jpeg", name: "3.jpg", by: inspector)
                Issue.record("a third 2 KB file passed a 5,000-byte quota")
            } catch let error as DomainError {
                #expect(error.code == "upload_quota_exceeded")
            }
            // The same bytes again cost nothing; another person has a quota of their own; a day later it is free again.
            _ = try await platform.files.save(Self.jpeg(1), declaredType: "image/jpeg", name: "1.jpg", by: inspector)
            _ = try await platform.files.save(
                Self.jpeg(3), declaredType: "image/jpeg", name: "3.jpg", by: f.staff(.intake))
            clock.advance(minutes: 24 * 60 + 1)
            _ = try await platform.files.save(Self.jpeg(3), declaredType: "image/jpeg", name: "3.jpg", by: inspector)
        }
    }

    @Test(arguments: TestBackend.available) func filesLinkedToNoCaseGoAfterADay(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let f = try await CaseFixture.make(platform)
            let inspector = f.staff(.inspector, in: f.streetA)
            let kept = try await platform.files.save(
                Self.jpeg(7), declaredType: "image/jpeg", name: "kept.jpg", by: inspector)
            let stray = try await platform.files.save(
                Self.jpeg(8), declaredType: "image/jpeg", name: "stray.jpg", by: inspector)
            var report = NewReport(
                matterId: f.garbage.id, description: "垃圾", lon: CaseFixture.pointA.lon, lat: CaseFixture.pointA.lat)
            report.attachments = [kept.id]
            _ = try await platform.cases.report(report, by: inspector)
            #expect(try await platform.files.removeUnlinked() == 0, "nothing is a day old yet")
            clock.advance(minutes: 24 * 60 + 1)
            #expect(try await platform.files.removeUnlinked() == 1)
            let left = try await platform.pool.read { db in
                try await db.select().column("id").from("attachments").all().map {
                    try $0.decode(column: "id", as: String.self)
                }
            }
            #expect(left == [kept.id])
            let folder = platform.settings.attachmentDirectory
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/\(stray.id.prefix(2))/\(stray.id)"))
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(kept.id.prefix(2))/\(kept.id)"))
        }
    }
}
