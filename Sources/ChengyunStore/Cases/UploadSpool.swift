import ChengyunCore
import Crypto
import Foundation

/// An upload on its way to the content-addressed store: its bytes go to a file in the spool
/// folder as they arrive, hashed on the way, so no upload sits whole in memory. A file over the
/// size limit stops being written at the limit and is refused.
public final class SpooledFile: @unchecked Sendable {
    public let path: String
    public var name: String
    public var declaredType: String?
    public private(set) var size = 0
    /// The first bytes, for checking the type by its magic number.
    public private(set) var head: [UInt8] = []
    public private(set) var tooLarge = false
    private var hasher = SHA256()
    private let handle: FileHandle
    private let limit: Int

    public init(directory: String, name: String, declaredType: String?, limit: Int) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/upload-" + Identifier.make()
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        self.name = name
        self.declaredType = declaredType
        self.limit = limit
    }

    /// Appends bytes; past the limit nothing more is written and the file is marked too large.
    public func write<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws {
        guard !tooLarge else { return }
        guard size + bytes.count <= limit else {
            tooLarge = true
            return
        }
        let chunk = Data(bytes)
        if head.count < 64 { head += chunk.prefix(64 - head.count) }
        hasher.update(data: chunk)
        try handle.write(contentsOf: chunk)
        size += chunk.count
    }

    /// Flushes the bytes to disk and answers their SHA-256 (the file's id in the store).
    public func finish() throws -> String {
        try handle.synchronize()
        try handle.close()
        return Hex.string(hasher.finalize())
    }

    public func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}
