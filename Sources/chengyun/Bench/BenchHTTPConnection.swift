import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection for load generators: a request, its whole answer, the next.
/// Plain NIO, so the client spends its CPU on bytes, not on a general-purpose HTTP stack.
struct BenchHTTPConnection {
    let host: String
    let port: Int

    /// Opens the connection and hands `body` a function that posts one request and returns the
    /// status and body of the answer.
    func run(
        _ body: (_ post: (String, [(String, String)], ByteBuffer) async throws -> (Int, ByteBuffer)) async throws ->
            Void
    ) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var responses = inbound.makeAsyncIterator()
            try await body { path, headers, payload in
                var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
                head.headers.add(name: "Host", value: "\(host):\(port)")
                head.headers.add(name: "Content-Length", value: "\(payload.readableBytes)")
                for (name, value) in headers { head.headers.add(name: name, value: value) }
                try await outbound.write(.head(head))
                try await outbound.write(.body(.byteBuffer(payload)))
                try await outbound.write(.end(nil))
                var status = 0
                var answer = ByteBuffer()
                while let part = try await responses.next() {
                    switch part {
                    case .head(let response): status = Int(response.status.code)
                    case .body(var chunk): answer.writeBuffer(&chunk)
                    case .end: return (status, answer)
                    }
                }
                throw ChannelError.eof
            }
        }
    }
}
