import ChengyunCore
import Hummingbird
import NIOCore

/// The request context of every route: the authenticated principal (with its area scope) and
/// the session token it came with.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public var sessionToken: String?
    /// The peer of the connection, for per-address rate limits.
    public var remoteAddress: SocketAddress?
    /// The caller behind a trusted reverse proxy (`ForwardedForMiddleware`).
    public var forwardedClient: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
