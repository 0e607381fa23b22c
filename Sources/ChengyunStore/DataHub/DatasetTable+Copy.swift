import ChengyunCore
import Foundation
import Logging
import NIOCore
import PostgresNIO
import SQLKit

/// PostgreSQL's bulk path for a load's records: `COPY` into a staging table, then one
/// `INSERT … SELECT … ON CONFLICT` from it. A multi-row INSERT sends every value as a bind the
/// server parses and plans a statement at a time; `COPY` streams text it reads at disk speed.
extension DatasetTable {
    /// From how many records a batch takes the `COPY` path: below it the staging table's round
    /// trips cost more than the binds they save (a push of a few records, say).
    static let copyThreshold = 500

    var staging: String { "stage_" + name }

    /// Upserts `records` (no key twice among them) through the staging table, made at the first
    /// batch of the transaction and dropped at its end; `update` is the `ON CONFLICT` clause.
    /// Without one (the baseline's plain insert) they are copied straight into the table.
    func copyUpsert(
        _ records: [CleanRecord], version: Int64, update: String?, into connection: PostgresConnection,
        on db: any SQLDatabase
    ) async throws {
        let columns = ["record_key", "load_version"] + fields.map(Self.column)
        guard let update else {
            try await copy(records, version: version, columns: columns, into: name, on: connection)
            return
        }
        try await db.raw(
            "CREATE TEMP TABLE IF NOT EXISTS \(unsafeRaw: staging) (LIKE \(unsafeRaw: name)) ON COMMIT DROP"
        ).run()
        try await copy(records, version: version, columns: columns, into: staging, on: connection)
        let list = columns.joined(separator: ", ")
        try await db.raw(
            "INSERT INTO \(unsafeRaw: name) (\(unsafeRaw: list)) SELECT \(unsafeRaw: list) FROM \(unsafeRaw: staging)\(unsafeRaw: update)"
        ).run()
        try await db.raw("TRUNCATE \(unsafeRaw: staging)").run()
    }

    /// A batch's records in one copy (`copyText`): a load's batch is `DatasetLoadService.batch`
    /// records, the baseline's 5,000.
    private func copy(
        _ records: [CleanRecord], version: Int64, columns: [String], into table: String,
        on connection: PostgresConnection
    ) async throws {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(records.count * 16 * (columns.count + 1))
        for record in records { Self.copyRow(record, version: version, into: &buffer) }
        try await connection.copyText(buffer, into: table, columns: columns)
    }

    /// One record as a line of `COPY`'s text format: tab-separated, `\N` for NULL, and the four
    /// characters the format gives meaning to (backslash, tab, line feed, carriage return) escaped.
    static func copyRow(_ record: CleanRecord, version: Int64, into buffer: inout ByteBuffer) {
        copyText(record.key, into: &buffer)
        buffer.writeStaticString("\t")
        buffer.writeString(String(version))
        for value in record.values {
            buffer.writeStaticString("\t")
            switch value {
            case .null: buffer.writeStaticString("\\N")
            case .text(let text): copyText(text, into: &buffer)
            case .integer(let number): buffer.writeString(String(number))
            // Swift's shortest round-trip form; PostgreSQL reads its `nan`, `inf` and `-inf` too.
            case .number(let number): buffer.writeString(number.description)
            }
        }
        buffer.writeStaticString("\n")
    }

    static func copyText(_ text: String, into buffer: inout ByteBuffer) {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            buffer.writeString(text)
            return
        }
        for byte in utf8 {
            switch byte {
            case 0x5C: buffer.writeStaticString("\\\\")
            case 0x09: buffer.writeStaticString("\\t")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
