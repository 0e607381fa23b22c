import ChengyunCore
import Hummingbird
import Synchronization

/// Collects the routes' declarations while a router is built for the document's generator.
/// Serving builds its router with no book: registering a route then records nothing.
final class OperationBook: Sendable {
    struct Entry: Sendable {
        var method: HTTPRequest.Method
        /// The whole path, `{name}` for each parameter.
        var path: String
        /// Who may call it; nil for a public route.
        var access: Access?
        var doc: RouteDoc
        /// The handler's `JSONBody` value, when that is what it returns.
        var output: RouteContent?
    }

    @TaskLocal static var current: OperationBook?
    /// Where the routes being registered will be mounted.
    @TaskLocal static var prefix = ""

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    /// Records a route registered while this book is the current one.
    static func record(
        _ method: HTTPRequest.Method, _ path: RouterPath, _ access: Access?, _ doc: RouteDoc,
        output: RouteContent? = nil
    ) {
        guard let book = current else { return }
        let whole = RouterPath(prefix).appendingPath(path).description
        book.entries.withLock {
            $0.append(Entry(method: method, path: whole, access: access, doc: doc, output: output))
        }
    }

    /// Registers what `body` registers as mounted under `prefix`.
    @discardableResult
    static func under<T>(_ prefix: String, _ body: () throws -> T) rethrows -> T {
        try $prefix.withValue(prefix, operation: body)
    }
}

extension RouterMethods where Context == AppRequestContext {
    typealias Handler<Output> = @Sendable (Request, AppRequestContext, Principal) async throws -> Output
    typealias PublicHandler<Output> = @Sendable (Request, AppRequestContext) async throws -> Output

    /// Registers a route that first checks `access`, then hands the handler the principal.
    @discardableResult
    func on<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method, _ path: RouterPath, _ access: Access, _ doc: RouteDoc,
        use handler: @escaping Handler<Output>
    ) -> Self {
        register(method, path, access, doc, output: nil, handler)
    }

    /// The same for a handler answering JSON: the document names the value's type.
    @discardableResult
    func on<Value>(
        _ method: HTTPRequest.Method, _ path: RouterPath, _ access: Access, _ doc: RouteDoc,
        use handler: @escaping Handler<JSONBody<Value>>
    ) -> Self {
        register(method, path, access, doc, output: SchemaName.content(of: Value.self), handler)
    }

    /// Registers a route anyone may call, logged in or not.
    @discardableResult
    func onPublic<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method, _ path: RouterPath, _ doc: RouteDoc, use handler: @escaping PublicHandler<Output>
    ) -> Self {
        OperationBook.record(method, path, nil, doc)
        return on(path, method: method, use: handler)
    }

    /// The same for a public handler answering JSON.
    @discardableResult
    func onPublic<Value>(
        _ method: HTTPRequest.Method, _ path: RouterPath, _ doc: RouteDoc,
        use handler: @escaping PublicHandler<JSONBody<Value>>
    ) -> Self {
        OperationBook.record(method, path, nil, doc, output: SchemaName.content(of: Value.self))
        return on(path, method: method, use: handler)
    }

    private func register<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method, _ path: RouterPath, _ access: Access, _ doc: RouteDoc, output: RouteContent?,
        _ handler: @escaping Handler<Output>
    ) -> Self {
        OperationBook.record(method, path, access, doc, output: output)
        return on(path, method: method) { request, context in
            let principal = try access.authorize(context.principal)
            return try await handler(request, context, principal)
        }
    }
}
