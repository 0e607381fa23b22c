import Foundation
import NIOCore
import SQLiteNIO
import VaporCSQLite

/// One SQLite connection driven directly through the C library that sqlite-nio ships, with its
/// prepared statements kept for reuse.
///
/// Why not `SQLiteConnection`: it runs every statement on a thread pool, hands each row back
/// through an event loop and resumes the caller from there — three thread hand-offs a query, and a
/// fresh parse each time. A case step is a dozen short statements that take microseconds each, so
/// the hand-offs cost more than the work (BENCHMARKS.md, case transitions). Statements run here on
/// the caller's thread; only the ones that wait on the disk (COMMIT, checkpoints, VACUUM) are sent
/// to NIO's blocking pool by `SQLiteDirectDatabase`.
///
/// Not safe for concurrent use: the pool gives a handle to one caller at a time.
final class SQLiteHandle: @unchecked Sendable {
    let path: String
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// Generated statements (long IN lists, say) should not fill the cache for ever.
    private let maxCachedStatements = 256

    init(path: String) throws {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        var handle: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            if let handle { sqlite_nio_sqlite3_close(handle) }
            throw SQLiteFailure(code: status, message: "cannot open \(path): \(message)", sql: nil)
        }
        db = handle
    }

    deinit { close() }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements = [:]
        if let db { sqlite_nio_sqlite3_close_v2(db) }
        db = nil
    }

    /// Runs one statement with its binds, calling `onRow` for each row it returns.
    func query(_ sql: String, _ binds: [SQLiteData], _ onRow: (SQLiteResultRow) throws -> Void) throws {
        guard let db else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "connection closed", sql: sql) }
        let statement = try prepared(sql, on: db)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        try bind(binds, to: statement, sql: sql)
        var columns: SQLiteColumnNames?
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw failure(status, sql: sql) }
            let names = columns ?? SQLiteColumnNames(statement)
            columns = names
            var values: [SQLiteData] = []
            values.reserveCapacity(names.names.count)
            for column in 0..<Int32(names.names.count) { values.append(value(of: statement, at: column)) }
            try onRow(SQLiteResultRow(columns: names, values: values))
        }
    }

    /// Runs one statement `count` times, `binds` filling each run's binds (into an emptied array,
    /// one for all the runs): prepared once, nothing read.
    func runEach(_ sql: String, count: Int, binds: (Int, inout [SQLiteData]) -> Void) throws {
        guard let db else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "connection closed", sql: sql) }
        let statement = try prepared(sql, on: db)
        var row: [SQLiteData] = []
        for index in 0..<count {
            defer {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            }
            row.removeAll(keepingCapacity: true)
            binds(index, &row)
            try bind(row, to: statement, sql: sql)
            let status = sqlite_nio_sqlite3_step(statement)
            guard status == SQLITE_DONE || status == SQLITE_ROW else { throw failure(status, sql: sql) }
        }
    }

    private func bind(_ binds: [SQLiteData], to statement: OpaquePointer, sql: String) throws {
        for (index, bind) in binds.enumerated() {
            let position = Int32(index + 1)
            let status: Int32
            switch bind {
            case .integer(let value): status = sqlite_nio_sqlite3_bind_int64(statement, position, Int64(value))
            case .float(let value): status = sqlite_nio_sqlite3_bind_double(statement, position, value)
            case .null: status = sqlite_nio_sqlite3_bind_null(statement, position)
            case .text(let value):
                status = sqlite_nio_sqlite3_bind_text64(
                    statement, position, value, UInt64(value.utf8.count), transient,
                    UInt8(SQLITE_UTF8))
            case .blob(let value):
                status = value.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob64(statement, position, $0.baseAddress, UInt64($0.count), transient)
                }
            }
            guard status == SQLITE_OK else { throw failure(status, sql: sql) }
        }
    }

    /// Runs one prepared INSERT per row of (integer, integer, real) — the shape of a reading —
    /// and says for each whether it added a row (an `OR IGNORE` duplicate adds none). The bulk
    /// path of telemetry ingest: no per-row allocation, no SQL building.
    func insertEach(_ sql: String, count: Int, row: (Int) -> (Int64, Int64, Double)) throws -> [Bool] {
        guard let db else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "connection closed", sql: sql) }
        let statement = try prepared(sql, on: db)
        var inserted = [Bool](repeating: false, count: count)
        for index in 0..<count {
            let (a, b, c) = row(index)
            sqlite_nio_sqlite3_bind_int64(statement, 1, a)
            sqlite_nio_sqlite3_bind_int64(statement, 2, b)
            sqlite_nio_sqlite3_bind_double(statement, 3, c)
            let status = sqlite_nio_sqlite3_step(statement)
            sqlite_nio_sqlite3_reset(statement)
            guard status == SQLITE_DONE else { throw failure(status, sql: sql) }
            inserted[index] = sqlite_nio_sqlite3_changes(db) > 0
        }
        return inserted
    }

    private func prepared(_ sql: String, on db: OpaquePointer) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw failure(status, sql: sql) }
        if statements.count >= maxCachedStatements {
            for cached in statements.values { sqlite_nio_sqlite3_finalize(cached) }
            statements = [:]
        }
        statements[sql] = statement
        return statement
    }

    private func value(of statement: OpaquePointer, at column: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column), count > 0 {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    private func failure(_ status: Int32, sql: String) -> SQLiteFailure {
        let message = db.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "connection closed"
        return SQLiteFailure(code: status, message: message, sql: sql)
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies bound text and blobs before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// An error from the SQLite library, with its result code and the statement that failed.
public struct SQLiteFailure: Error, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let sql: String?
    public var description: String { "SQLite error \(code): \(message)" + (sql.map { " in \($0)" } ?? "") }
}

/// The column names of one result, shared by its rows.
final class SQLiteColumnNames: @unchecked Sendable {
    let names: [String]
    let index: [String: Int]

    init(_ statement: OpaquePointer) {
        let count = Int(sqlite_nio_sqlite3_column_count(statement))
        names = (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, Int32($0))) }
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        self.index = index
    }
}

/// One row of a result.
struct SQLiteResultRow: Sendable {
    let columns: SQLiteColumnNames
    let values: [SQLiteData]

    func value(_ column: String) -> SQLiteData? { columns.index[column].map { values[$0] } }
}
