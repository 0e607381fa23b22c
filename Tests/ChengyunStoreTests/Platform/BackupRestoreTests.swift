import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// `chengyun backup` → `chengyun restore` into a fresh directory: the restored platform serves the
/// same cases, files and audit chain; a damaged backup is refused rather than half restored.
@Suite struct BackupRestoreTests {
    @Test func aRestoredPlatformServesTheSameCasesFilesAndAuditChain() async throws {
        let root = NSTemporaryDirectory() + "chengyun-backup-" + Identifier.make().lowercased()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let keyFile = AuditKeyFile(path: root + "/live/audit-keys.json")
        var settings = testSettings()
        settings.auditKeys = try keyFile.loadOrCreate(at: 0)
        settings.attachmentDirectory = root + "/live/attachments"
        let files = PlatformBackup.Files(
            attachments: settings.attachmentDirectory, auditKeys: keyFile.path,
            auditAnchors: root + "/live/audit-anchors.txt")
        let (caseId, photo, detail) = try await withPlatform(.sqlite, settings: settings) { platform in
            let f = try await CaseFixture.make(platform)
            let inspector = f.staff(.inspector, in: f.streetA)
            let bytes: [UInt8] =
                [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [UInt8](repeating: 0x5A, count: 4096)
            let photo = try await platform.files.save(
                bytes, declaredType: "image/jpeg", name: "before.jpg", by: inspector)
            var report = NewReport(
                matterId: f.garbage.id, description: "暴露垃圾", lon: CaseFixture.pointA.lon, lat: CaseFixture.pointA.lat)
            report.attachments = [photo.id]
            let reported = try await platform.cases.report(report, by: inspector).case
            _ = try await platform.cases.act(
                caseId: reported.id, CaseActionInput(.file, note: "立案"), by: f.staff(.supervisor))
            try await AuditAnchorFile(path: files.auditAnchors).anchor(platform.pool, at: platform.now())
            let manifest = try await PlatformBackup.write(platform, files: files, to: root + "/backup")
            #expect(manifest.cases == 1 && manifest.attachments == 1 && manifest.auditHeadSeq > 10)
            // Written after the backup: not in it.
            _ = try await platform.cases.report(
                NewReport(
                    matterId: f.garbage.id, description: "之后", lon: CaseFixture.pointB.lon,
                    lat: CaseFixture.pointB.lat), by: f.staff(.inspector, in: f.streetB))
            return (reported.id, photo, try await platform.cases.detail(id: reported.id, by: .system))
        }

        let restoredFiles = PlatformBackup.Files(
            attachments: root + "/restored/attachments", auditKeys: root + "/restored/audit-keys.json",
            auditAnchors: root + "/restored/audit-anchors.txt")
        let database = root + "/restored/chengyun.sqlite"
        let manifest = try await PlatformBackup.restore(
            from: root + "/backup", database: database, files: restoredFiles)
        #expect(manifest.cases == 1)
        var restoredSettings = testSettings()
        restoredSettings.auditKeys = try AuditKeyFile(path: restoredFiles.auditKeys).load()
        restoredSettings.attachmentDirectory = restoredFiles.attachments
        #expect(restoredSettings.auditKeys == settings.auditKeys, "the keys came back with the chain")
        let pool = try await openDatabase("sqlite:" + database, logger: quietLogger)
        let platform = Platform(pool: pool, settings: restoredSettings)
        do {
            let again = try await platform.cases.detail(id: caseId, by: .system)
            #expect(
                again.case == detail.case && again.events == detail.events && again.attachments == detail.attachments)
            let (attachment, data) = try await platform.files.read(caseId: caseId, attachmentId: photo.id, by: .system)
            #expect(attachment == photo && data.count == photo.size)
            let total = try await platform.pool.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM cases").first()?.decode(column: "n", as: Int.self)
            }
            #expect(total == 1)
            let anchors = try AuditAnchorFile(path: restoredFiles.auditAnchors).read()
            #expect(!anchors.isEmpty)
            #expect(try await platform.auditLog.verify(platform.pool, anchors: anchors).firstBreak == nil)
            // The restored platform takes new work on the same chain.
            _ = try await platform.organisation.createArea(
                NewArea(
                    code: "320509", name: "新区", level: .district,
                    parentId: again.case.areaPath.split(separator: "/").first.map(String.init)), by: .system)
            #expect(try await platform.auditLog.verify(platform.pool, anchors: anchors).firstBreak == nil)
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()

        // A backup missing a file is refused, and restoring over an existing database is too.
        let attachments = root + "/backup/attachments"
        for folder in try FileManager.default.contentsOfDirectory(atPath: attachments) {
            try FileManager.default.removeItem(atPath: attachments + "/" + folder)
        }
        await #expect(throws: PlatformBackup.Refused.self) {
            try await PlatformBackup.restore(
                from: root + "/backup", database: root + "/second/chengyun.sqlite",
                files: PlatformBackup.Files(
                    attachments: root + "/second/attachments", auditKeys: root + "/second/k.json",
                    auditAnchors: root + "/second/a.txt"))
        }
        await #expect(throws: PlatformBackup.Refused.self) {
            try await PlatformBackup.restore(from: root + "/backup", database: database, files: restoredFiles)
        }
    }
}
