import ChengyunCore
import Foundation

/// A load's bytes kept on disk as they arrive, so that the write transaction reads a file at
/// disk speed and never waits on the network: a slow upload holds no writer, lock or connection.
struct LoadSpool: Sendable {
    let path: String
    static let chunkBytes = 1 << 18

    /// Where loads (and pulls' downloads) wait on disk: beside the attachments.
    static func directory(_ settings: PlatformSettings) -> String { settings.attachmentDirectory + "/.loads" }

    static func write<Chunks: AsyncSequence>(_ chunks: Chunks, directory: String) async throws -> LoadSpool
    where Chunks.Element == [UInt8] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/load-" + Identifier.make() + ".part"
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let spool = LoadSpool(path: path)
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            for try await chunk in chunks { try handle.write(contentsOf: chunk) }
        } catch {
            spool.remove()
            throw error
        }
        return spool
    }

    /// The bytes again, a quarter megabyte at a time, read as they are asked for.
    func chunks() throws -> AsyncThrowingStream<[UInt8], any Error> {
        let reader = Reader(handle: try FileHandle(forReadingFrom: URL(fileURLWithPath: path)))
        return AsyncThrowingStream(unfolding: { try reader.next() })
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The open file, read by one stream in turn.
    private final class Reader: @unchecked Sendable {
        let handle: FileHandle
        init(handle: FileHandle) { self.handle = handle }
        deinit { try? handle.close() }

        func next() throws -> [UInt8]? {
            guard let data = try handle.read(upToCount: LoadSpool.chunkBytes), !data.isEmpty else { return nil }
            return Array(data)
        }
    }
}
