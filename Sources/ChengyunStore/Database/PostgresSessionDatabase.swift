import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// A pooled connection's SQL database that keeps the connection at hand, for what SQLKit does not
/// speak (`COPY`); PostgresKit's own does not let it be reached. Everything else is forwarded.
struct PostgresSessionDatabase: SQLDatabase {
    let connection: PostgresConnection
    let database: any SQLDatabase

    init(_ connection: PostgresConnection) {
        self.connection = connection
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

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await database.execute(sql: query, onRow)
    }
}
