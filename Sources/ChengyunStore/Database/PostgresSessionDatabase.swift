import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// A pooled connection's SQL database that keeps the connection at hand, for what SQLKit does not
/// speak (`COPY`, named prepared statements); PostgresKit's own does not let it be reached.
/// Everything else is forwarded.
struct PostgresSessionDatabase: SQLDatabase {
    let connection: PostgresConnection
    let database: any SQLDatabase
    /// A transaction's (the bulk paths may `COPY`), not a pooled read's.
    let inTransaction: Bool
    /// Whether statements in `PostgresPrepared`'s scope are prepared (the pool's setting).
    let prepares: Bool

    init(_ connection: PostgresConnection, inTransaction: Bool = true, prepares: Bool = true) {
        self.connection = connection
        self.inTransaction = inTransaction
        self.prepares = prepares
        database = connection.sql(queryLogLevel: nil)
    }

    var logger: Logger { database.logger }
    var eventLoop: any EventLoop { database.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { database.version }
    var dialect: any SQLDialect { database.dialect }
    var queryLogLevel: Logger.Level? { database.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        database.execute(sql: query, onRow)
    }

    /// Prepared by name inside `PostgresPrepared.preparing` once the statement is hot; else as SQLKit sends it.
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        if prepares && PostgresPrepared.inScope {
            let (sql, binds) = serialize(query)
            if try await PostgresPrepared.run(sql, binds, on: connection, inTransaction: inTransaction, onRow) {
                return
            }
        }
        try await database.execute(sql: query, onRow)
    }
}

extension PostgresSessionDatabase {
    /// The connection under `db` when it is a PostgreSQL transaction's (which keeps it at hand),
    /// else nil: the bulk paths' test for whether they may `COPY`.
    static func connection(of db: any SQLDatabase) -> PostgresConnection? {
        (db as? PostgresSessionDatabase).flatMap { $0.inTransaction ? $0.connection : nil }
    }
}

extension PostgresConnection {
    /// `COPY table (columns) FROM STDIN` of `text`, already in `COPY`'s text format, sent in one
    /// write. Why one: PostgresNIO (1.33) loses a copy's pending write when the server reports an
    /// error while that write waits for the socket to drain — its state machine drops the promise
    /// (`.copyingData(.pendingBackpressureRelieve)` on an ErrorResponse) — so a copy meeting an
    /// error mid-stream (a key already stored, after waiting on another transaction's lock) would
    /// never return. One write never waits on the socket; `CopyDone` follows and the server's
    /// error comes back as the copy's. Callers bound what one copy carries.
    ///
    /// Run apart from the caller's cancellation: PostgresNIO's copy writer checks it where its
    /// plain queries do not, and a statement of a transaction should end the same way either way.
    func copyText(_ text: ByteBuffer, into table: String, columns: [String]) async throws {
        try await Task {
            try await copyFrom(table: table, columns: columns, logger: logger) { writer in
                if text.readableBytes > 0 { try await writer.write(text) }
            }
        }.value
    }
}
