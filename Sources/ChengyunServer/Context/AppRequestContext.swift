import ChengyunCore
import Hummingbird

/// The request context of every route: the authenticated principal (with its area scope) and
/// the session token it came with.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public var sessionToken: String?

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}
