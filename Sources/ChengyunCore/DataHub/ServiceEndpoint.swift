import Foundation

/// An external service registered in the catalog beside the datasets (服务注册): where it answers,
/// the methods it takes and where its own description is. It goes through the catalog's review and
/// publication like a dataset, its fields describing its answers; consumers apply for it, and a
/// grant calls it through the platform's gateway (routing), metered and logged like a dataset's
/// records. The grant covers the service's answers whole: the gateway does not pick fields out.
public struct ServiceEndpoint: Codable, Equatable, Sendable {
    /// The base URL; a call's path is appended beneath it.
    public var url: String
    public var methods: [ServiceMethod]
    /// Where the service's own description (OpenAPI, say) is read.
    public var specification: String?

    public init(url: String, methods: [ServiceMethod] = [.GET], specification: String? = nil) {
        (self.url, self.methods, self.specification) = (url, methods, specification)
    }

    func check(_ validator: inout Validator) {
        validator.check(
            Self.isBase(url), "service.url", "invalid_url",
            "An absolute http or https URL of at most 500 characters, without a query or fragment.")
        validator.check(
            !methods.isEmpty && Set(methods).count == methods.count, "service.methods", "invalid_value",
            "GET, POST or both, each once.")
        validator.check(
            specification.map(WebhookPolicy.isAcceptable) ?? true, "service.specification", "invalid_url",
            "An absolute http or https URL of at most 500 characters.")
    }

    static func isBase(_ url: String) -> Bool {
        guard WebhookPolicy.isAcceptable(url: url), let parsed = URLComponents(string: url) else { return false }
        return parsed.query == nil && parsed.fragment == nil && parsed.user == nil
    }

    /// The upstream URL of a call to `path` (below the base) with `query`; nil when a segment would
    /// climb out of the base (`.` or `..`, also percent-encoded) or hide a slash.
    public func target(path: String, query: String?) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for segment in segments {
            let decoded = segment.removingPercentEncoding ?? segment
            guard decoded != ".", decoded != "..", !decoded.contains("/"), !decoded.contains("\\"),
                !segment.contains("?"), !segment.contains("#")
            else { return nil }
        }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        let joined = segments.isEmpty ? base : base + "/" + segments.joined(separator: "/")
        return query.map { $0.isEmpty ? joined : joined + "?" + $0 } ?? joined
    }
}

public enum ServiceMethod: String, Codable, CaseIterable, Sendable {
    case GET, POST
}
