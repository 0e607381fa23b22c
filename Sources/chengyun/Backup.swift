import ArgumentParser
import ChengyunServer
import ChengyunStore
import Foundation

extension AppConfig {
    /// What a backup carries besides the database.
    var backupFiles: PlatformBackup.Files {
        PlatformBackup.Files(
            attachments: settings.attachmentDirectory, auditKeys: auditKeyPath, auditAnchors: auditAnchorPath)
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Back up the embedded deployment into a new folder while it runs: database, files, audit keys and anchors (on PostgreSQL, use pg_dump)."
    )

    @OptionGroup var storage: StorageOptions

    @Option(help: "The folder to write; it must not exist.")
    var to: String

    func run() async throws {
        let manifest = try await withPlatform(storage) { platform, config in
            try await PlatformBackup.write(platform, files: config.backupFiles, to: to)
        }
        print(
            "Backed up to \(to): \(manifest.cases) cases, \(manifest.attachments) files, audit chain to entry \(manifest.auditHeadSeq)."
        )
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a backup folder into a fresh data directory and check it: counts, files and the audit chain."
    )

    @OptionGroup var storage: StorageOptions

    @Option(help: "The backup folder written by `chengyun backup`.")
    var from: String

    func run() async throws {
        let config = try await storage.load()
        guard config.databaseURL == nil || !config.databaseURL!.hasPrefix("postgres") else {
            throw ValidationError(
                "Restore writes an embedded SQLite database; for PostgreSQL use pg_restore (see the README).")
        }
        let manifest = try await PlatformBackup.restore(
            from: from, database: config.databaseLocation, files: config.backupFiles)
        print(
            "Restored \(manifest.cases) cases, \(manifest.attachments) files and an audit chain of \(manifest.auditHeadSeq) entries into \(config.databaseLocation); all checked."
        )
    }
}
