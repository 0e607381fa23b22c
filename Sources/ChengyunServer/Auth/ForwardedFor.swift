import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Behind a reverse proxy every connection comes from the proxy, so per-address limits would
/// count all callers as one. When the connection's peer is one of the trusted proxies
/// (`chengyun.proxy.trustedNetworks`), the caller is the rightmost address of `X-Forwarded-For`
/// that is not itself a trusted proxy (the leftmost entries are whatever the client wrote, so they
/// are never believed). With no trusted proxies configured the header is ignored.
struct ForwardedFor: Sendable {
    let trusted: [AddressRange]

    /// Whether the connection comes from one of the trusted proxies.
    func isTrusted(peer: SocketAddress?) -> Bool { trusted.contains(where: { $0.contains(peer) }) }

    /// The caller's address, when the header is to be believed; nil to keep the peer's.
    func client(peer: SocketAddress?, header: String?) -> String? {
        guard !trusted.isEmpty, let header, trusted.contains(where: { $0.contains(peer) }) else { return nil }
        for entry in header.split(separator: ",").reversed() {
            let text = entry.trimmingCharacters(in: .whitespaces)
            guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
            if !trusted.contains(where: { $0.contains(address) }) { return address.ipAddress ?? text }
        }
        return nil
    }
}

/// Sets the request's client address from `X-Forwarded-For` when the peer is a trusted proxy.
struct ForwardedForMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let forwardedFor: ForwardedFor

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if let client = forwardedFor.client(
            peer: context.remoteAddress, header: request.headers[HTTPField.Name("X-Forwarded-For")!])
        {
            context.forwardedClient = client
        }
        return try await next(request, context)
    }
}
