import ChengyunCore
import Crypto
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Fetches a pull's URL into a file beside the loads (never into memory whole), asking
/// conditionally with the last answer's ETag and Last-Modified.
struct PullFetcher: Sendable {
    struct Answer: Sendable {
        var status: Int
        /// The body, for a 200.
        var file: String?
        var etag: String?
        var lastModified: String?
    }

    /// The largest body kept, as large as an upload may be.
    static let maxBytes = 2 << 30
    struct TooLarge: Error {}

    /// At most 30 s without a byte and 10 minutes in all; redirects not followed (a 3xx is an
    /// answer to report, not a place to go), nothing cached.
    static let session = URLSession.outbound(idle: 30, total: 600)

    func fetch(_ pull: DatasetPull, into directory: String) async throws -> Answer {
        guard let url = URL(string: pull.url) else { throw URLError(.badURL) }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 30)
        if let etag = pull.etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        if let lastModified = pull.lastModified {
            request.setValue(lastModified, forHTTPHeaderField: "If-Modified-Since")
        }
        request.setValue(pull.format == .csv ? "text/csv" : "application/json", forHTTPHeaderField: "Accept")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let target = directory + "/pull-" + Identifier.make() + ".part"
        return try await withCheckedThrowingContinuation { continuation in
            let task = Self.session.downloadTask(with: request) { location, response, error in
                if let error { return continuation.resume(throwing: error) }
                guard let http = response as? HTTPURLResponse else {
                    return continuation.resume(throwing: URLError(.badServerResponse))
                }
                var file: String?
                // The download's own file goes on every path but the one that keeps it.
                defer { if file == nil, let location { try? FileManager.default.removeItem(at: location) } }
                if http.statusCode == 200, let location {
                    do {
                        let size =
                            (try? FileManager.default.attributesOfItem(atPath: location.path)[.size] as? Int) ?? 0
                        guard size <= Self.maxBytes else { return continuation.resume(throwing: TooLarge()) }
                        try FileManager.default.moveItem(at: location, to: URL(fileURLWithPath: target))
                        file = target
                    } catch {
                        return continuation.resume(throwing: error)
                    }
                }
                continuation.resume(
                    returning: Answer(
                        status: http.statusCode, file: file, etag: http.value(forHTTPHeaderField: "ETag"),
                        lastModified: http.value(forHTTPHeaderField: "Last-Modified")))
            }
            task.resume()
        }
    }

    /// The file's SHA-256 in hex, read a quarter megabyte at a time.
    static func hash(of path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try handle.read(upToCount: LoadSpool.chunkBytes), !data.isEmpty { hasher.update(data: data) }
        return Hex.string(hasher.finalize())
    }
}
