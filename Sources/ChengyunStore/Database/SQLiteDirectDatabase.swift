import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLKit over an `SQLiteHandle`: sqlite-kit's dialect and value coding, statements run on the
/// caller's thread. Statements that wait on the disk go to NIO's blocking pool instead, so an
/// fsync never holds up a Swift concurrency thread — except on the writer's own thread
/// (`WriterThread`), where waiting is what the thread is for.
struct SQLiteDirectDatabase: SQLDatabase {
    let handle: SQLiteHandle
    let logger: Logger
    /// Run COMMIT and the like here too: the caller is the writer's own thread.
    var waitsInline = false
    let encoder = SQLiteDataEncoder()
    let decoder = SQLiteDataDecoder()

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<
        Void
    > {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await self.execute(sql: query, onRow) }
        return promise.futureResult
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, rawBinds) = serialize(query)
        let binds = try rawBinds.map { try encoder.encode($0) }
        let decoder = decoder
        if !waitsInline && Self.waitsOnDisk(sql) {
            let handle = handle
            try await NIOThreadPool.singleton.runIfActive {
                try handle.query(sql, binds) { onRow(SQLiteDirectRow(row: $0, decoder: decoder)) }
            }
        } else {
            try handle.query(sql, binds) { onRow(SQLiteDirectRow(row: $0, decoder: decoder)) }
        }
    }

    /// COMMIT (WAL fsync and, now and then, a checkpoint), VACUUM and explicit checkpoints.
    /// Looked at for every statement, so it compares bytes without building strings.
    static func waitsOnDisk(_ sql: String) -> Bool {
        let head = sql.utf8.prefix(17).map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 } // ASCII upper case
        return ["COMMIT", "END", "VACUUM", "PRAGMA WAL_CHECK"].contains { head.starts(with: $0.utf8) }
    }
}

/// A result row seen through SQLKit's row interface.
struct SQLiteDirectRow: SQLRow {
    let row: SQLiteResultRow
    let decoder: SQLiteDataDecoder

    var allColumns: [String] { row.columns.names }

    func contains(column: String) -> Bool { row.columns.index[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let value = row.value(column) else { return true }
        return value == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let value = row.value(column) else {
            throw DecodingError.keyNotFound(
                SQLiteColumnKey(column), .init(codingPath: [], debugDescription: "no column \(column)"))
        }
        return try decoder.decode(D.self, from: value)
    }
}

private struct SQLiteColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
