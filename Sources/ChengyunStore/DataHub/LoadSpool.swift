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
            // A stream cut short by cancellation ends as a whole one would: never a part taken for all.
            try Task.checkCancellation()
        } catch {
            spool.remove()
            throw error
        }
        return spool
    }

    /// The bytes again, a quarter megabyte at a time, read as they are asked for.
    func chunks() throws -> AsyncThrowingStream<[UInt8], any Error> {
        try FileChunks.stream(path: path, chunkBytes: Self.chunkBytes)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A file's bytes as a stream of chunks, each read from disk as it is asked for.
public enum FileChunks {
    public static func stream(path: String, chunkBytes: Int) throws -> AsyncThrowingStream<[UInt8], any Error> {
        let reader = Reader(handle: try FileHandle(forReadingFrom: URL(fileURLWithPath: path)), size: chunkBytes)
        return AsyncThrowingStream(unfolding: { try reader.next() })
    }

    /// The open file, read by one stream in turn.
    private final class Reader: @unchecked Sendable {
        let handle: FileHandle
        let size: Int
        init(handle: FileHandle, size: Int) { (self.handle, self.size) = (handle, size) }
        deinit { try? handle.close() }

        func next() throws -> [UInt8]? {
            guard let data = try handle.read(upToCount: size), !data.isEmpty else { return nil }
            return Array(data)
        }
    }
}
