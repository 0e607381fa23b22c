import HTTPTypes
import Hummingbird

/// Cross-site request forgery: a browser sends the session cookie with a request that another
/// site's page makes, so a cookie-authenticated request that changes anything must come from
/// the platform's own pages. Browsers say where a request comes from in `Sec-Fetch-Site` (all
/// current ones) or `Origin`; a cookie-borne write that says neither, or names another site,
/// is refused. Bearer tokens and API keys are not sent by browsers on their own and need no check.
enum SameOrigin {
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!

    static func isUnsafe(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
    }

    /// Whether a request's own headers show it comes from a page of `authority` (host[:port]).
    static func allows(fetchSite site: String?, origin: String?, authority: String?) -> Bool {
        if let site { return site == "same-origin" || site == "none" }
        guard let origin, origin != "null", let authority, !authority.isEmpty else { return false }
        // Origin is scheme://host[:port]; compare its host[:port] part with the request's.
        guard let range = origin.range(of: "://") else { return false }
        return origin[range.upperBound...].lowercased() == authority.lowercased()
    }

    static func check(_ request: Request) throws {
        guard isUnsafe(request.method) else { return }
        let authority = request.head.authority
        guard allows(fetchSite: request.headers[fetchSite], origin: request.headers[.origin], authority: authority)
        else {
            throw Problem(
                status: .forbidden, code: "cross_site_request",
                detail: "A request carrying the session cookie must come from the platform's own pages.")
        }
    }
}
