import Foundation

/// Where the database lives, parsed from `--database` / `CHENGYUN_DATABASE_URL`.
public enum DatabaseLocation: Equatable, Sendable {
    case sqlite(path: String)
    case postgres(PostgresSettings)

    public struct PostgresSettings: Equatable, Sendable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        /// `disable`, `prefer` or `require`, as libpq's `sslmode`.
        public var tlsMode: String
        /// A schema to create if missing and put first on the search path (`?schema=`).
        public var schema: String?
        /// Seconds the leader's lease connection has to answer before the lease is given up
        /// (`?lease_timeout=`, 1…60, default 3). Its server session ends when idle three times
        /// as long (at least 10 s).
        public var leaseTimeout: Int = 3
        /// Whether hot paths run named prepared statements (`?prepared_statements=false` turns
        /// them off, for a pooler that cannot follow them; `PostgresPrepared`).
        public var preparedStatements = true
        /// Connections this node's pool opens at most (`?pool_size=`, 1…100, default 16). Nodes
        /// times this must stay under the server's `max_connections`, less its other clients.
        public var poolSize = 16
    }

    public struct InvalidLocation: Error, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
                throw InvalidLocation(
                    description: "Cannot read the PostgreSQL URL (postgres://user:password@host:port/db).")
            }
            let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
            let tlsMode = query["sslmode"] ?? "prefer"
            guard ["disable", "prefer", "require"].contains(tlsMode) else {
                throw InvalidLocation(description: "sslmode must be disable, prefer or require.")
            }
            if let schema = query["schema"],
                !schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            {
                throw InvalidLocation(description: "schema may hold only letters, digits and _.")
            }
            let leaseTimeout = try query["lease_timeout"].map { text -> Int in
                guard let seconds = Int(text), (1...60).contains(seconds) else {
                    throw InvalidLocation(description: "lease_timeout must be whole seconds from 1 to 60.")
                }
                return seconds
            }
            let prepared = try query["prepared_statements"].map { text -> Bool in
                guard let on = ["true": true, "false": false][text] else {
                    throw InvalidLocation(description: "prepared_statements must be true or false.")
                }
                return on
            }
            let poolSize = try query["pool_size"].map { text -> Int in
                guard let size = Int(text), (1...100).contains(size) else {
                    throw InvalidLocation(description: "pool_size must be a whole number from 1 to 100.")
                }
                return size
            }
            let database = String(url.path.drop(while: { $0 == "/" }))
            self = .postgres(
                PostgresSettings(
                    host: host, port: url.port ?? 5432, username: url.user ?? "postgres",
                    password: url.password, database: database.isEmpty ? (url.user ?? "postgres") : database,
                    tlsMode: tlsMode, schema: query["schema"].flatMap { $0.isEmpty ? nil : $0 },
                    leaseTimeout: leaseTimeout ?? 3, preparedStatements: prepared ?? true, poolSize: poolSize ?? 16))
        } else if text.hasPrefix("sqlite://") {
            self = .sqlite(path: String(text.dropFirst("sqlite://".count)))
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else if text.contains("://") {
            throw InvalidLocation(
                description: "Unknown database URL scheme; use a file path, sqlite:PATH or postgres://.")
        } else {
            self = .sqlite(path: text)
        }
    }
}
