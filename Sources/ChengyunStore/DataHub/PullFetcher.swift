import ChengyunCore
import Crypto
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Fetches a pull's URL into a file beside the loads (never into memory whole), asking
/// conditionally with the last answer's ETag and Last-Modified. The body goes straight into its
/// file as it arrives, hashed on the way, and the fetch stops as soon as the answer declares or
/// reaches more than `maxBytes`: nothing bigger is ever written, and nothing is read twice.
struct PullFetcher: Sendable {
    struct Answer: Sendable {
        var status: Int
        /// The body, for a 200.
        var file: String?
        /// The body's SHA-256 in hex, for a 200.
        var sha256: String?
        var etag: String?
        var lastModified: String?
        var contentType: String?
    }

    /// The largest body kept, as large as an upload may be.
    static let maxBytes = 2 << 30
    struct TooLarge: Error {}
    /// The URL's host stands for a link-local or unspecified address (`OutboundAddress`).
    struct ForbiddenAddress: Error {}

    var maxBytes = Self.maxBytes

    func fetch(_ pull: DatasetPull, into directory: String) async throws -> Answer {
        guard let url = URL(string: pull.url) else { throw URLError(.badURL) }
        guard await OutboundAddress.admits(url) else { throw ForbiddenAddress() }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 30)
        if let etag = pull.etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        if let lastModified = pull.lastModified {
            request.setValue(lastModified, forHTTPHeaderField: "If-Modified-Since")
        }
        request.setValue(pull.format == .csv ? "text/csv" : "application/json", forHTTPHeaderField: "Accept")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let target = directory + "/pull-" + Identifier.make() + ".part"
        let received = try await PullDownload.run(request, into: target, limit: maxBytes)
        let http = received.response
        return Answer(
            status: http.statusCode, file: received.sha256 == nil ? nil : target, sha256: received.sha256,
            etag: http.value(forHTTPHeaderField: "ETag"), lastModified: http.value(forHTTPHeaderField: "Last-Modified"),
            contentType: http.value(forHTTPHeaderField: "Content-Type"))
    }
}

/// One pull's transfer: a session of its own (at most 30 s without a byte and 10 minutes in all;
/// redirects not followed, since a 3xx is an answer to report, not a place to go; nothing cached
/// or kept) whose delegate writes a 200's body to `path` as it comes; any other answer is reported
/// by its status, its body not read. Its callbacks run one at a time on the session's serial
/// queue, which is what guards the transfer's state; the caller's continuation, met from the
/// caller's task, its cancellation and that queue, is guarded by a lock and resumed once.
final class PullDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Received {
        var response: HTTPURLResponse
        /// Set when a 200's body was written whole.
        var sha256: String?
    }

    private let path: String
    private let limit: Int
    private let waiting = Mutex<(continuation: CheckedContinuation<Received, any Error>?, ended: Bool)>((nil, false))
    private var response: HTTPURLResponse?
    private var handle: FileHandle?
    private var hasher = SHA256()
    private var written = 0
    private var failure: (any Error)?

    private init(path: String, limit: Int) {
        (self.path, self.limit) = (path, limit)
    }

    static func run(_ request: URLRequest, into path: String, limit: Int) async throws -> Received {
        try Task.checkCancellation()
        let download = PullDownload(path: path, limit: limit)
        let configuration = URLSession.outboundConfiguration(idle: 30, total: 600)
        let session = URLSession(configuration: configuration, delegate: download, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        // The task is made before anything can cancel: cancelling cancels it, which is safe at any
        // point (making one on a session already invalidated is not).
        let task = session.dataTask(with: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ended = download.waiting.withLock {
                    $0.continuation = continuation
                    return $0.ended
                }
                if ended {
                    download.end(.failure(CancellationError()))
                } else {
                    task.resume()
                }
            }
        } onCancel: {
            download.end(.failure(CancellationError()))
            task.cancel()
        }
    }

    /// Resumes the caller once, with the first outcome it is given; false when it was resumed
    /// already (or is yet to wait, cancelled first).
    @discardableResult
    private func end(_ outcome: Result<Received, any Error>) -> Bool {
        let continuation = waiting.withLock { state -> CheckedContinuation<Received, any Error>? in
            state.ended = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(with: outcome)
        return continuation != nil
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        // swift-corelibs-foundation ignores the disposition: refusing the body is cancelling the task.
        func refuse() {
            completionHandler(.cancel)
            dataTask.cancel()
        }
        guard let http = response as? HTTPURLResponse else {
            failure = URLError(.badServerResponse)
            return refuse()
        }
        self.response = http
        // Another answer is its status: its body is not read.
        guard http.statusCode == 200 else { return refuse() }
        if http.expectedContentLength > limit {
            failure = PullFetcher.TooLarge()
            return refuse()
        }
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            failure = CocoaError(.fileWriteUnknown)
            return refuse()
        }
        self.handle = handle
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let handle, failure == nil else { return }
        written += data.count
        guard written <= limit else {
            failure = PullFetcher.TooLarge()
            return dataTask.cancel()
        }
        do {
            try handle.write(contentsOf: data)
            hasher.update(data: data)
        } catch {
            failure = error
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        var sha256: String?
        if let handle {
            do {
                try handle.close()
                if failure == nil, error == nil { sha256 = Hex.string(hasher.finalize()) }
            } catch {
                failure = failure ?? error
            }
        }
        // A body not kept whole leaves no file behind.
        if sha256 == nil { try? FileManager.default.removeItem(atPath: path) }
        let outcome: Result<Received, any Error>
        if let response, response.statusCode != 200, failure == nil {
            outcome = .success(Received(response: response, sha256: nil)) // cut off after its head
        } else if let failure = failure ?? error {
            outcome = .failure(failure)
        } else if let response {
            outcome = .success(Received(response: response, sha256: sha256))
        } else {
            outcome = .failure(URLError(.badServerResponse))
        }
        // A body kept whole whose caller had gone (cancelled as it finished) is nobody's to remove.
        if !end(outcome), sha256 != nil { try? FileManager.default.removeItem(atPath: path) }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
