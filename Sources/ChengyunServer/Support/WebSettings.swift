import ChengyunCore

/// What the HTTP layer promises beyond the platform's own settings: the session cookie, the
/// limits on routes an outsider can reach, and who may read `/metrics`. Configurable (README).
public struct WebSettings: Sendable {
    /// Adds `Secure` to the session cookie: set it when the platform is served over TLS
    /// (directly or behind a proxy that terminates TLS).
    public var secureCookie = false
    /// Logins (`session`, `citizen-session`): attempts a minute from one address, and for one account.
    public var loginsPerMinutePerAddress = 60
    public var loginsPerMinutePerAccount = 30
    /// Citizen self-registration (`citizens`): a minute from one address.
    public var registrationsPerMinutePerAddress = 10
    /// Reports without an account (`public/reports`): a minute from one address.
    public var publicReportsPerMinutePerAddress = 30
    /// Open311 `POST requests` a minute from one address, whatever key they carry (each key also
    /// keeps its own limit). Higher: an Open311 app's server relays many citizens.
    public var open311PerMinutePerAddress = 300
    /// Live streams (server-sent events) one principal may hold open at once.
    public var streamsPerPrincipal = 8
    /// `/metrics`: when set, only these networks (CIDR, e.g. `127.0.0.0/8`) or callers sending
    /// `Authorization: Bearer <metricsKey>` may read it; when both are empty it is open.
    public var metricsNetworks: [String] = []
    public var metricsKey: String?
    /// Reverse proxies (CIDR) whose `X-Forwarded-For` names the caller for per-address limits.
    public var trustedProxies: [String] = []
    /// A span per request (`RequestTracingMiddleware`): on when traces are exported (`Traces`).
    public var traceRequests = false

    public init() {}
}
