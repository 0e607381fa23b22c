import ChengyunCore
import Foundation

/// The audit keyring's file, kept outside the database (readable by its owner only): whoever can
/// write the database but not read this file cannot forge the chain.
public struct AuditKeyFile: Sendable {
    public let path: String
    public init(path: String) { self.path = path }

    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "No audit key file at \(path): signed entries cannot be checked without it." }
    }

    public func load() throws -> AuditKeyring {
        guard let data = FileManager.default.contents(atPath: path) else { throw Missing(path: path) }
        return try JSONDecoder().decode(AuditKeyring.self, from: data)
    }

    /// The keyring in the file, or a new one written there (mode 0600) when there is none,
    /// signing from the chain's next entry `nextSeq` on.
    public func loadOrCreate(at now: Int64, nextSeq: Int64 = 1) throws -> AuditKeyring {
        if FileManager.default.fileExists(atPath: path) { return try load() }
        let keyring = AuditKeyring.generate(at: now, fromSeq: nextSeq)
        try save(keyring)
        return keyring
    }

    /// Writes the keyring whole (a temporary file renamed over the old one), owner-only.
    public func save(_ keyring: AuditKeyring) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = path + ".new"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: try encoder.encode(keyring),
                attributes: [.posixPermissions: 0o600])
        else {
            throw CocoaError(.fileWriteUnknown)
        }
        if rename(temporary, path) != 0 { throw CocoaError(.fileWriteUnknown) }
    }
}

/// Head hashes of the audit chain written outside the database, a line each (`seq hash at`): even
/// a holder of the key who rewrites the database cannot change what an anchor already recorded.
/// Copy the file off the machine (or send each line to another system) to make it stronger still.
public struct AuditAnchorFile: Sendable {
    public let path: String
    public init(path: String) { self.path = path }

    /// seq → hash of every anchor in the file; empty when there is no file.
    public func read() throws -> [Int64: String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        var anchors: [Int64: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let seq = Int64(fields[0]) { anchors[seq] = String(fields[1]) }
        }
        return anchors
    }

    /// Appends the chain's current head and flushes it to disk. Returns the anchored seq.
    @discardableResult
    public func anchor(_ pool: any DatabasePool, at now: Int64) async throws -> Int64 {
        let head = try await pool.read { db in
            try await db.select().columns("last_seq", "last_hash").from("audit_head").where("id", .equal, 1).first()
        }
        guard let head else { throw AuditError.missingHead }
        let seq = try head.decode(column: "last_seq", as: Int64.self)
        let hash = try head.decode(column: "last_hash", as: String.self)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\(seq) \(hash) \(EpochMillis.iso8601(now))\n".utf8))
        try handle.synchronize()
        return seq
    }
}
