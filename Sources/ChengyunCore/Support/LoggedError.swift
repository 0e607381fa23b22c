/// An error as the log shows it: its full reflection (a PostgreSQL error's `description` is a
/// generic sentence that names no cause; its reflection carries the server's message, the SQL and
/// the binds, which PostgresNIO prints as `****`), with what could still be a secret masked: the
/// password in a connection URL, and a bearer token or API key.
public func loggedError(_ error: any Error) -> String {
    maskSecrets(String(reflecting: error))
}

/// `scheme://user:password@host` → `scheme://user:****@host`; `Bearer x` and `X-API-Key: x` → `****`.
public func maskSecrets(_ text: String) -> String {
    var text = text.replacing(/(\w+:\/\/[^:\/@\s]+:)[^@\s]+@/) { "\($0.output.1)****@" }
    text = text.replacing(/(?i)(bearer\s+)[A-Za-z0-9._~+\/=-]+/) { "\($0.output.1)****" }
    text = text.replacing(/(?i)(x-api-key["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+\/=-]+/) { "\($0.output.1)****" }
    return text
}
