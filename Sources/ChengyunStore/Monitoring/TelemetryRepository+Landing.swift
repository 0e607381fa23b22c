import NIOCore
import PostgresNIO
import SQLKit

/// PostgreSQL's landing of a batch's live readings in `readings_recent`: many by `COPY`, a few by
/// one `INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING`. `COPY` streams rows the server
/// reads without planning a statement or unpacking arrays (the benchmark's raw `COPY` lands
/// about a third more a second than raw `unnest`). PostgresNIO speaks `COPY`'s text format only,
/// so text it is.
///
/// `COPY` has no `ON CONFLICT`: it runs inside a savepoint, and when a reading of the batch is
/// already stored (the same batch sent again, or sent twice at once) or the batch carries one
/// twice, the savepoint is rolled back and the batch goes the `unnest` way, which skips
/// repeats. The same rows land either way and the count of new ones is exact.
extension TelemetryRepository {
    /// From how many readings a batch takes the `COPY` path: below it the savepoint's three
    /// statements and the copy's own round trip cost more than the array binds they save.
    static let copyThreshold = 1_000

    /// Lands `rows` (at most `insertReadings`' 50,000) and says how many were new.
    func landRecent(_ rows: ReadingArrays, on db: any SQLDatabase) async throws -> Int {
        if rows.count >= Self.copyThreshold, let connection = PostgresSessionDatabase.connection(of: db),
            try await copyRecent(rows, into: connection, on: db)
        {
            return rows.count
        }
        return try await Self.count(
            db.raw(
                """
                WITH added AS (
                    INSERT INTO readings_recent (series_id, at, value)
                    SELECT * FROM unnest(\(bind: rows.series)::bigint[], \(bind: rows.times)::bigint[], \(bind: rows.values)::float8[])
                    ON CONFLICT DO NOTHING RETURNING 1)
                SELECT count(*) AS n FROM added
                """
            ).first())
    }

    /// True when every reading landed; false when one was already stored, and then none did. A
    /// reading another transaction has written but not committed makes the copy wait for it, as
    /// the `unnest` insert would; its commit ends the copy with the conflict, its rollback lets
    /// the copy through.
    private func copyRecent(_ rows: ReadingArrays, into connection: PostgresConnection, on db: any SQLDatabase)
        async throws -> Bool
    {
        var text = ByteBuffer()
        text.reserveCapacity(rows.count * 36)
        for index in rows.series.indices {
            Self.copyLine(rows.series[index], rows.times[index], rows.values[index], into: &text)
        }
        try await db.raw("SAVEPOINT landing").run()
        do {
            try await connection.copyText(text, into: "readings_recent", columns: ["series_id", "at", "value"])
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            // unique_violation: a (series, time) already stored. Nothing of the copy stays.
            try await db.raw("ROLLBACK TO SAVEPOINT landing").run()
            try await db.raw("RELEASE SAVEPOINT landing").run()
            return false
        }
        try await db.raw("RELEASE SAVEPOINT landing").run()
        return true
    }

    /// One reading as a line of `COPY`'s text format. The numbers need no escaping; a value is
    /// finite (the parser refuses the rest) and Swift's shortest round-trip form reads back as
    /// the same double.
    static func copyLine(_ series: Int64, _ at: Int64, _ value: Double, into buffer: inout ByteBuffer) {
        writeDecimal(series, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "\t"))
        writeDecimal(at, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "\t"))
        buffer.writeString(value.description)
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// An integer's decimal digits, written without making a string.
    static func writeDecimal(_ number: Int64, into buffer: inout ByteBuffer) {
        if number < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        var rest = number.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes; at most 20 digits, filled from the end
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                count += 1
                raw[24 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: raw[(24 - count)...]))
        }
    }

    static func count(_ row: (any SQLRow)?) throws -> Int {
        try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// One PostgreSQL statement's readings as three arrays.
    struct ReadingArrays {
        var series: [Int64] = [], times: [Int64] = [], values: [Double] = []

        var count: Int { series.count }

        mutating func add(_ r: (series: Int64, at: Int64, value: Double)) {
            series.append(r.series)
            times.append(r.at)
            values.append(r.value)
        }
    }
}
