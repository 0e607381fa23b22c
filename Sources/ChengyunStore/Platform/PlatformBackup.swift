import ChengyunCore
import Foundation
import Logging
import SQLKit

/// A backup of an embedded (SQLite) deployment: one folder holding a transactionally consistent
/// copy of the database (`VACUUM INTO`, taken while the server runs), the uploaded files, the
/// audit key file and anchor file, and a manifest of what it holds. Restoring it into a fresh
/// data directory gives a platform that serves the same cases, files and audit chain; `restore`
/// checks that before it answers. (PostgreSQL: `pg_dump`, plus the same files; see the README.)
public enum PlatformBackup {
    public struct Manifest: Codable, Equatable, Sendable {
        public var format = 1
        public var createdAt: Int64
        public var schemaVersion: Int
        public var cases: Int
        public var attachments: Int
        public var auditHeadSeq: Int64
        public var auditHeadHash: String
    }

    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// Where a deployment keeps what a backup carries besides the database.
    public struct Files: Sendable {
        public var attachments: String
        public var auditKeys: String
        public var auditAnchors: String
        public init(attachments: String, auditKeys: String, auditAnchors: String) {
            self.attachments = attachments
            self.auditKeys = auditKeys
            self.auditAnchors = auditAnchors
        }
    }

    static let databaseName = "chengyun.sqlite"

    /// Writes the backup folder (which must not exist yet).
    @discardableResult
    public static func write(_ platform: Platform, files: Files, to folder: String) async throws -> Manifest {
        guard platform.pool.backend == .sqlite else {
            throw Refused(description: "This database is PostgreSQL: back it up with pg_dump (see the README).")
        }
        let manager = FileManager.default
        guard !manager.fileExists(atPath: folder) else { throw Refused(description: "\(folder) exists already.") }
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = folder + "/" + databaseName
        // Keys and anchors before the snapshot: an anchor then never names an entry the snapshot
        // lacks. The snapshot before the files: every file it names is on disk already (files
        // are placed before their rows commit and never changed), so the copy holds them all.
        for (from, name) in [(files.auditKeys, "audit-keys.json"), (files.auditAnchors, "audit-anchors.txt")]
        where manager.fileExists(atPath: from) {
            try manager.copyItem(atPath: from, toPath: folder + "/" + name)
        }
        try await platform.pool.read { try await $0.raw("VACUUM INTO \(bind: database)").run() }
        if manager.fileExists(atPath: files.attachments) {
            try manager.copyItem(atPath: files.attachments, toPath: folder + "/attachments")
        }
        try? manager.removeItem(atPath: folder + "/attachments/.spool")
        let manifest = try await describe(database: database)
        try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: folder + "/manifest.json"))
        return manifest
    }

    /// Restores a backup folder into `database` (a new SQLite file) and the deployment's files,
    /// then checks the result against the manifest: the same counts, every file present, and the
    /// audit chain intact under the backed-up keys and anchors.
    @discardableResult
    public static func restore(from folder: String, database: String, files: Files) async throws -> Manifest {
        let manager = FileManager.default
        guard let data = manager.contents(atPath: folder + "/manifest.json") else {
            throw Refused(description: "\(folder) is not a Chengyun backup (no manifest.json).")
        }
        let manifest = try JSONDecoder().decode(Manifest.self, from: data)
        for existing in [database, files.attachments, files.auditKeys, files.auditAnchors]
        where manager.fileExists(atPath: existing) {
            throw Refused(description: "\(existing) exists: restore into a fresh data directory.")
        }
        try manager.createDirectory(
            atPath: URL(fileURLWithPath: database).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try manager.copyItem(atPath: folder + "/" + databaseName, toPath: database)
        if manager.fileExists(atPath: folder + "/attachments") {
            try manager.createDirectory(
                atPath: URL(fileURLWithPath: files.attachments).deletingLastPathComponent().path,
                withIntermediateDirectories: true)
            try manager.copyItem(atPath: folder + "/attachments", toPath: files.attachments)
        }
        for (name, to) in [("audit-keys.json", files.auditKeys), ("audit-anchors.txt", files.auditAnchors)]
        where manager.fileExists(atPath: folder + "/" + name) {
            try manager.copyItem(atPath: folder + "/" + name, toPath: to)
        }
        let restored = try await describe(database: database)
        guard restored.cases == manifest.cases, restored.attachments == manifest.attachments,
            restored.auditHeadSeq == manifest.auditHeadSeq, restored.auditHeadHash == manifest.auditHeadHash
        else {
            throw Refused(description: "The restored database does not match the backup's manifest.")
        }
        try await check(database: database, files: files)
        return manifest
    }

    private static func describe(database: String) async throws -> Manifest {
        try await withPool(database) { pool in
            try await pool.read { db in
                func count(_ table: String) async throws -> Int {
                    try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(
                        column: "n", as: Int.self) ?? 0
                }
                let head = try await db.select().columns("last_seq", "last_hash").from("audit_head").where(
                    "id", .equal, 1
                ).first()
                let version = try await db.raw("SELECT MAX(version) AS v FROM schema_migrations").first()?.decode(
                    column: "v", as: Int.self)
                return Manifest(
                    createdAt: EpochMillis.now(), schemaVersion: version ?? 0, cases: try await count("cases"),
                    attachments: try await count("attachments"),
                    auditHeadSeq: try head?.decode(column: "last_seq", as: Int64.self) ?? 0,
                    auditHeadHash: try head?.decode(column: "last_hash", as: String.self) ?? "")
            }
        }
    }

    /// Every stored file is there with its size, and the audit chain verifies.
    private static func check(database: String, files: Files) async throws {
        let keys =
            FileManager.default.fileExists(atPath: files.auditKeys)
            ? try AuditKeyFile(path: files.auditKeys).load() : nil
        let anchors = try AuditAnchorFile(path: files.auditAnchors).read()
        try await withPool(database) { pool in
            let stored = try await pool.read { db in
                try await db.select().columns("id", "size").from("attachments").all().map {
                    (try $0.decode(column: "id", as: String.self), try $0.decode(column: "size", as: Int.self))
                }
            }
            let store = AttachmentStore(
                platform: Platform(
                    pool: pool,
                    settings: {
                        var s = PlatformSettings(); s.attachmentDirectory = files.attachments; return s
                    }()))
            for (id, size) in stored {
                let attributes = try? FileManager.default.attributesOfItem(atPath: store.path(of: id))
                guard (attributes?[.size] as? NSNumber)?.intValue == size else {
                    throw Refused(description: "The restored files lack \(id) (or it has the wrong size).")
                }
            }
            if let broken = try await AuditRepository(keys: keys).verify(pool, anchors: anchors).firstBreak {
                throw Refused(description: "The restored audit chain does not verify: \(broken).")
            }
        }
    }

    private static func withPool<T>(_ database: String, _ body: (any DatabasePool) async throws -> T) async throws -> T
    {
        var logger = Logger(label: "chengyun-backup")
        logger.logLevel = .warning
        let pool = try await openDatabase("sqlite:" + database, logger: logger)
        do {
            let result = try await body(pool)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }
}
