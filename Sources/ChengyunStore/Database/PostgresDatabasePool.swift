import Logging
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit
import Tracing

/// PostgreSQL through PostgresNIO's `PostgresClient` pool. The client runs in a task this pool
/// owns, so the CLI, the tests and the server use it the same way.
public final class PostgresDatabasePool: DatabasePool {
    public let backend = SQLBackend.postgres
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let settings: DatabaseLocation.PostgresSettings
    private let logger: Logger
    /// An advisory lock key for `purpose` in this database and schema: advisory locks are
    /// database-wide, and two cities (schemas) on one server must not share them (FNV-1a).
    public func advisoryKey(_ purpose: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "chengyun.\(purpose):\(settings.database):\(settings.schema ?? "")".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    /// The advisory lock key of the cluster's lease.
    public var leaseKey: Int64 { advisoryKey("lease") }

    /// `readOnly`: a hot standby (a read replica), where the schema is not created (it cannot be:
    /// the primary made it) and the pool is half the size (`?pool_size=`, 16 by default).
    public init(settings: DatabaseLocation.PostgresSettings, logger: Logger, readOnly: Bool = false) async throws {
        let tls: PostgresClient.Configuration.TLS =
            Self.tls(settings).map { $0.required ? .require($0.configuration) : .prefer($0.configuration) } ?? .disable
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username,
            password: settings.password, database: settings.database, tls: tls)
        if let schema = settings.schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        configuration.options.maximumConnections = readOnly ? max(1, settings.poolSize / 2) : settings.poolSize
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.settings = settings
        self.logger = logger
        runner = Task { await client.run() }
        // A standby is optional: a node starts without it and its watch finds it when it answers.
        if readOnly { return }
        do {
            try await client.withConnection { connection in
                let db = connection.sql(queryLogLevel: nil)
                if let schema = settings.schema, !readOnly {
                    try await db.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
                }
                try await db.raw("SELECT 1").run()
            }
        } catch {
            runner.cancel()
            await runner.value
            throw error
        }
    }

    public func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection {
            try await body(PostgresSessionDatabase($0, inTransaction: false, prepares: settings.preparedStatements))
        }
    }

    /// A transaction on one pooled connection, traced as a client span (a no-op without a tracer).
    public func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await withSpan("db.transaction", ofKind: .client) { span in
            span.attributes["db.system.name"] = "postgresql"
            return try await transactionUntraced(body)
        }
    }

    private func transactionUntraced<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            let db = PostgresSessionDatabase(connection, prepares: settings.preparedStatements)
            try await db.raw("BEGIN").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// One connection of the pool as PostgresNIO's own (for COPY, which SQLKit does not speak).
    func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { try await body($0) }
    }

    /// The lease on a connection of its own (see `PostgresLease`).
    public func leaseLock() -> any LeaseLock {
        PostgresLease(key: leaseKey, timeout: settings.leaseTimeout, logger: logger) { [settings, logger] in
            try await Self.dedicatedConnection(settings, logger: logger)
        }
    }

    /// What `sslmode` asks for, read in one place for the pool and the dedicated connections: nil
    /// for `disable`, else whether TLS is required (`require`) or only preferred (anything else).
    private static func tls(_ settings: DatabaseLocation.PostgresSettings)
        -> (required: Bool, configuration: TLSConfiguration)?
    {
        settings.tlsMode == "disable" ? nil : (settings.tlsMode == "require", .makeClientConfiguration())
    }

    /// A connection outside the pool (the lease, the event listener), with the pool's settings.
    func dedicatedConnection() async throws -> PostgresConnection {
        try await Self.dedicatedConnection(settings, logger: logger)
    }

    private static func dedicatedConnection(_ settings: DatabaseLocation.PostgresSettings, logger: Logger)
        async throws -> PostgresConnection
    {
        let tls: PostgresConnection.Configuration.TLS =
            try Self.tls(settings).map {
                let context = try NIOSSLContext(configuration: $0.configuration)
                return $0.required ? .require(context) : .prefer(context)
            } ?? .disable
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: tls)
        if let schema = settings.schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
    }

    public func close() async {
        runner.cancel()
        await runner.value
    }
}
